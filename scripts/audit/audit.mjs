// Browser audit of the built site: axe-core, the Nu Html Checker, reflow,
// text size, target size and table cells in view at 320, 390 and 1280 px,
// the print stylesheet on the whole-policy pages, and the keyboard path
// through every page. It serves
// public/ and restricted/ itself on 127.0.0.1 and reaches nothing else.
// Building the site and installing the browser, Java and these modules is
// the job of ./run beside it; docs/audit.md says what each failure means.

import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const PUBLIC = join(ROOT, 'public');
const RESTRICTED = join(ROOT, 'restricted');
const SCREENSHOTS = join(ROOT, 'screenshots');
// A second site, built by ./run from a test fixture with a restricted view
// (the example has none), served under /fixture/: its public/ and restricted/.
const FIXTURE = process.env.AUDIT_FIXTURE || null;
// examples/template/: a school built on a template and the template itself,
// served under /template/oakfield and /template/anyshire-template.
const TEMPLATE = process.env.AUDIT_TEMPLATE || null;
// A trust of three schools (tests/fixtures/trust), built the same way and
// served under /trust/: its landing page and its dashboard, with each
// school's pages under them.
const TRUST = process.env.AUDIT_TRUST || null;
// Where each folder is served, longest prefix first.
const MOUNTS = [
  ...(TEMPLATE ? [['/template/oakfield', join(TEMPLATE, 'oakfield')], ['/template/anyshire-template', join(TEMPLATE, 'anyshire-template')]] : []),
  ...(FIXTURE ? [['/fixture/restricted', join(FIXTURE, 'restricted')], ['/fixture', join(FIXTURE, 'public')]] : []),
  ...(TRUST ? [['/trust/restricted', join(TRUST, 'restricted')], ['/trust', join(TRUST, 'public')]] : []),
  ['/restricted', RESTRICTED],
  ['', PUBLIC],
];
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU_JAR = join(dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Every host name fails to resolve, so a page can reach only our server.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const WORKERS = 2;
// Phone widths: the smallest WCAG reflow asks for, and a common phone's.
const NARROW_WIDTHS = [390, 320];
// Tables that are matrices (strands × year groups), read by scrolling
// across inside their own figure with the strand column held in view; every
// other table must show each cell without scrolling at a phone's width.
const SCROLLING_TABLES = '.curriculum-map, .curriculum-bands';
const HEIGHT = 800;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MIN_FONT_PX = 16;
const MIN_TARGET_PX = 24;
const MAX_LINES_PER_TEST = 12;
const PROGRESS_EVERY = 50;

const started = Number(process.env.AUDIT_STARTED_MS) || Date.now();

// ---------------------------------------------------------------- arguments

function parseArguments(argv) {
  const options = { only: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only' && i + 1 < argv.length) options.only = argv[++i];
    else {
      console.error(`audit.mjs: unknown argument ${argv[i]} (usage: node audit.mjs [--only SUBSTRING])`);
      process.exit(2);
    }
  }
  return options;
}

// ---------------------------------------------------------------- pages

/** Every .html file under a folder, as paths relative to it with / separators. */
function htmlFiles(folder) {
  if (!existsSync(folder)) return [];
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) found.push(relative(folder, full).split(sep).join('/'));
    }
  };
  walk(folder);
  return found.sort();
}

/** The address a file is served at: `parents/index.html` → `/parents/`. */
function urlPathOf(file, prefix) {
  const path = file === 'index.html' ? '' : file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : file;
  return `${prefix}/${path}`;
}

function sitePages() {
  const pages = [];
  for (const [prefix, folder] of [...MOUNTS].reverse()) {
    for (const file of htmlFiles(folder)) pages.push({ file: join(folder, file), path: urlPathOf(file, prefix) });
  }
  return pages;
}

// ---------------------------------------------------------------- server

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.xml': 'application/xml; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.json': 'application/json',
  '.pdf': 'application/pdf',
};

/** Maps an address to a file through MOUNTS (/restricted/… to restricted/, the rest to public/). Null when refused. */
function fileFor(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) return null;
  const [prefix, base] = MOUNTS.find(([prefix]) => decoded === prefix || decoded.startsWith(`${prefix}/`));
  segments.splice(1, prefix.split('/').length - 1);
  const file = join(base, ...segments);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

function startServer() {
  const server = createServer((request, response) => {
    const urlPath = new URL(request.url, 'http://127.0.0.1').pathname;
    let file = fileFor(urlPath);
    if (file === null) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('refused\n');
      return;
    }
    let stat = existsSync(file) ? statSync(file) : null;
    if (stat?.isDirectory()) {
      if (!urlPath.endsWith('/')) {
        response.writeHead(301, { location: `${urlPath}/` }).end();
        return;
      }
      file = join(file, 'index.html');
      stat = existsSync(file) ? statSync(file) : null;
    }
    if (!stat?.isFile()) {
      const notFound = join(PUBLIC, '404.html');
      response.writeHead(404, { 'content-type': CONTENT_TYPES['.html'] });
      if (existsSync(notFound)) createReadStream(notFound).pipe(response);
      else response.end('not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolveServer) => {
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });
}

// ---------------------------------------------------------------- results

class Results {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.lines = [];
  }

  /** One (page, check) test: passes when `problems` is empty; each problem is one line. */
  record(check, path, problems) {
    if (problems.length === 0) {
      this.passed++;
      return;
    }
    this.failed++;
    const shown = problems.slice(0, MAX_LINES_PER_TEST);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    for (const problem of shown) {
      const line = `FAIL ${check} ${path} ${oneLine(problem)}`;
      this.lines.push(line);
      console.log(line);
    }
  }
}

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

/** Groups identical descriptions: ["a", "a", "b"] → ["a (×2)", "b"]. */
function grouped(items) {
  const counts = new Map();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => (n > 1 ? `${item} (×${n})` : item));
}

// ---------------------------------------------------------------- vnu

/** Runs the Nu Html Checker once over the given files or folders; resolves to problems by page path. */
function runVnu(targets, pathOfFile) {
  return new Promise((resolveVnu) => {
    const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', '--skip-non-html', ...targets];
    const java = spawn('java', args, { cwd: ROOT });
    let out = '';
    let err = '';
    java.stdout.on('data', (chunk) => (out += chunk));
    java.stderr.on('data', (chunk) => (err += chunk));
    java.on('error', (e) => resolveVnu({ fatal: `could not start java: ${e.message}` }));
    java.on('close', () => {
      let report;
      try {
        report = JSON.parse(out);
      } catch {
        resolveVnu({ fatal: `vnu gave no JSON report: ${oneLine(err || out).slice(0, 300)}` });
        return;
      }
      const byPath = new Map();
      for (const m of report.messages ?? []) {
        if (m.type !== 'error' && m.type !== 'non-document-error') continue;
        const file = m.url ? fileURLToPath(m.url) : '';
        const path = pathOfFile.get(file) ?? (file ? relative(ROOT, file) : '(vnu)');
        const where = `${relative(ROOT, file)}:${m.lastLine ?? m.firstLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}`;
        const extract = m.extract ? ` in “${m.extract.trim().slice(0, 80)}”` : '';
        if (!byPath.has(path)) byPath.set(path, []);
        byPath.get(path).push(`${where} ${m.message}${extract}`);
      }
      resolveVnu({ byPath });
    });
  });
}

// ---------------------------------------------------------------- in-page checks
// These functions run inside the page (page.evaluate). The helper they share
// is installed in every page before it loads, as window.__auditDescribe.

/** An element as a short path: tag, first two classes, up to the nearest id. */
function describeElement(el) {
  const parts = [];
  for (let e = el, n = 0; e && e !== document.body && e !== document.documentElement && n < 4; e = e.parentElement, n++) {
    if (e.id) {
      parts.unshift(`#${CSS.escape(e.id)}`);
      break;
    }
    const cls = [...e.classList].slice(0, 2).map((c) => `.${CSS.escape(c)}`).join('');
    parts.unshift(e.localName + cls);
  }
  return parts.join(' > ') || el.localName;
}

/** Before tabbing: lists the focusables in DOM order and starts recording each focus. */
function keyboardPrepare() {
  const describe = window.__auditDescribe;
  const isFocusable = (el) => {
    if (el.tabIndex < 0 || el.hasAttribute('disabled') || el.inert) return false;
    const name = el.localName;
    const natural =
      (name === 'a' && el.hasAttribute('href')) ||
      name === 'button' || name === 'select' || name === 'textarea' ||
      (name === 'input' && el.type !== 'hidden') ||
      (name === 'summary' && el.parentElement?.localName === 'details' && el.parentElement.querySelector(':scope > summary') === el) ||
      el.hasAttribute('tabindex');
    return natural && el.checkVisibility({ visibilityProperty: true });
  };
  const all = [...document.body.querySelectorAll('*')].filter(isFocusable);
  const skip = document.querySelector('a.skip-link') ?? document.querySelector('a[href="#main"]');
  all.forEach((el, i) => {
    el.__auditIndex = i;
    el.__auditBackground = getComputedStyle(el).backgroundColor;
  });
  const log = [];
  window.__auditFocusLog = log;
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    const cs = getComputedStyle(el);
    const scroller = /(auto|scroll)/.test(cs.overflowX + cs.overflowY) && (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
    log.push({
      index: el.__auditIndex ?? -1,
      what: describe(el),
      scroller,
      skip: el === skip,
      outlineStyle: cs.outlineStyle,
      outlineWidth: parseFloat(cs.outlineWidth) || 0,
      boxShadow: cs.boxShadow,
      background: cs.backgroundColor,
      backgroundBefore: el.__auditBackground ?? null,
    });
  }, true);
  return { count: all.length, names: all.map(describe), hasSkip: Boolean(skip), skipName: skip ? describe(skip) : null };
}

function keyboardCollect() {
  const log = window.__auditFocusLog ?? [];
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  window.scrollTo(0, 0);
  return log;
}

/** Text size, target size, reflow and table cells in view at the current viewport width. */
function layoutCheck({ minFont, minTarget, scrollingTables }) {
  const docEl = document.documentElement;
  const describe = window.__auditDescribe;
  const styleCache = new Map();
  const style = (el) => {
    let cs = styleCache.get(el);
    if (!cs) styleCache.set(el, (cs = getComputedStyle(el)));
    return cs;
  };
  const hiddenCache = new Map();
  // Visually hidden: not rendered, invisible, moved off the page, or clipped
  // to a pixel by itself or an ancestor (the screen-reader-only pattern).
  const clippedAway = (el) => {
    if (!el || el === document.body || el === docEl) return false;
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    const cs = style(el);
    let hidden = false;
    if (/^rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)$/.test(cs.clip) && cs.position !== 'static') hidden = true;
    else if (/inset\((50|100)%/.test(cs.clipPath)) hidden = true;
    else if (cs.overflow !== 'visible') {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) hidden = true;
    }
    if (!hidden) hidden = clippedAway(el.parentElement);
    hiddenCache.set(el, hidden);
    return hidden;
  };
  const shown = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 && r.height <= 0) return false;
    if (r.right + scrollX <= 0 || r.bottom + scrollY <= 0) return false;
    return !clippedAway(el);
  };

  // Text smaller than 16px.
  const smallText = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!el || seen.has(el) || !/\S/.test(t.data)) continue;
    seen.add(el);
    if (['script', 'style', 'noscript', 'template'].includes(el.localName) || !shown(el)) continue;
    const size = parseFloat(style(el).fontSize);
    if (size < minFont - 0.01) smallText.push(`${describe(el)} ${Math.round(size * 10) / 10}px “${t.data.trim().slice(0, 30)}”`);
  }

  // Targets smaller than 24 × 24 that neither exception of WCAG 2.5.8 covers.
  const skip = document.querySelector('a.skip-link') ?? document.querySelector('a[href="#main"]');
  const targetSelector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const targets = [...document.body.querySelectorAll(targetSelector)]
    .filter((el) => !(el === skip && document.activeElement !== el))
    .filter(shown)
    .map((el) => {
      const r = el.getBoundingClientRect();
      const undersized = r.width < minTarget - 0.01 || r.height < minTarget - 0.01;
      return { el, r, rects: [...el.getClientRects()], undersized, cx: r.left + r.width / 2, cy: r.top + r.height / 2 };
    });
  const inSentence = (el) => {
    if (style(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && block !== document.body && ['inline', 'contents'].includes(style(block).display)) block = block.parentElement;
    if (!block) return false;
    // Text counts only in the same run of lines: not inside another target,
    // nor inside a block of its own within the container.
    const texts = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let t = texts.nextNode(); t; t = texts.nextNode()) {
      if (!/[\p{L}\p{N}]/u.test(t.data)) continue;
      const owner = t.parentElement?.closest(targetSelector);
      if (owner && block.contains(owner)) continue;
      let e = t.parentElement;
      while (e && e !== block && ['inline', 'contents'].includes(style(e).display)) e = e.parentElement;
      if (e === block) return true;
    }
    return false;
  };
  const circleHitsRect = (cx, cy, rect) => {
    const dx = Math.max(rect.left - cx, 0, cx - rect.right);
    const dy = Math.max(rect.top - cy, 0, cy - rect.bottom);
    return dx * dx + dy * dy < (minTarget / 2) ** 2 - 0.01;
  };
  const smallTargets = [];
  for (const a of targets) {
    if (!a.undersized || inSentence(a.el)) continue;
    let clash = null;
    for (const b of targets) {
      if (b === a || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const hitsBox = b.rects.some((rect) => circleHitsRect(a.cx, a.cy, rect));
      const hitsCircle = b.undersized && Math.hypot(a.cx - b.cx, a.cy - b.cy) < minTarget - 0.01;
      if (hitsBox || hitsCircle) {
        clash = b;
        break;
      }
    }
    if (clash) {
      const size = `${Math.round(a.r.width)}×${Math.round(a.r.height)}`;
      smallTargets.push(`${describe(a.el)} ${size} too close to ${describe(clash.el)}`);
    }
  }

  // Horizontal scrolling: report where the overflow starts (an element that
  // sticks out while its parent does not), widest first.
  const overflow = [];
  if (docEl.scrollWidth > window.innerWidth) {
    const limit = docEl.clientWidth + 1;
    const sticksOut = (el) => el.getBoundingClientRect().right + scrollX > limit;
    const insideScroller = (el) => {
      for (let e = el.parentElement; e && e !== document.body && e !== docEl; e = e.parentElement) {
        if (style(e).overflowX !== 'visible') return true;
      }
      return false;
    };
    const origins = [...document.body.querySelectorAll('*')]
      .filter((el) => style(el).display !== 'none' && sticksOut(el) && !insideScroller(el))
      .filter((el) => el.parentElement === document.body || !sticksOut(el.parentElement))
      .map((el) => ({ el, width: el.getBoundingClientRect().width, right: el.getBoundingClientRect().right + scrollX }))
      .sort((x, y) => y.right - x.right || y.width - x.width)
      .slice(0, 5);
    const detail = origins.map((o) => `${describe(o.el)} (right edge ${Math.round(o.right)}px, ${Math.round(o.width)}px wide)`);
    overflow.push(`page is ${docEl.scrollWidth}px wide in a ${window.innerWidth}px window: ${detail.join('; ') || 'no single element found'}`);
  }

  // Table cells out of the window: a column a reader must scroll sideways
  // to find (inside the table's scroller or the page), reported per table.
  const tableCells = [];
  const right = docEl.clientWidth + 0.5;
  for (const table of document.body.querySelectorAll('table')) {
    if (table.closest(scrollingTables) || !shown(table)) continue;
    const outside = [...table.querySelectorAll('th, td')]
      .filter(shown)
      .filter((cell) => {
        const r = cell.getBoundingClientRect();
        return r.left + scrollX < -0.5 || r.right + scrollX > right;
      });
    if (outside.length === 0) continue;
    const first = outside[0];
    const r = first.getBoundingClientRect();
    tableCells.push(`${describe(table)}: ${outside.length} cell(s) outside the ${docEl.clientWidth}px window, first ${describe(first)} “${first.textContent.trim().slice(0, 30)}” at ${Math.round(r.left + scrollX)}–${Math.round(r.right + scrollX)}px`);
  }
  return { smallText, smallTargets, overflow, tableCells };
}

/** Under print media: navigation hidden, and every external link in main shows its address. */
function printCheck() {
  const describe = window.__auditDescribe;
  const visible = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const problems = [];
  // The whole-policy page's own contents list is part of the printed
  // document (a printed policy keeps its contents page); every other piece
  // of navigation is chrome.
  const chrome = new Set(document.querySelectorAll(
    'nav:not(.print-contents), [role=navigation], .skip-link, .breadcrumbs, header nav, footer ul, footer ol',
  ));
  for (const el of chrome) {
    // Report the outermost visible piece only.
    let outer = false;
    for (let p = el.parentElement; p; p = p.parentElement) if (chrome.has(p) && visible(p)) outer = true;
    if (outer || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    problems.push(`navigation visible in print: ${describe(el)} (${Math.round(r.width)}×${Math.round(r.height)}, display ${getComputedStyle(el).display})`);
  }
  // The copy says which revision it is, its approval and the build day, at
  // its top and its bottom.
  const running = [...document.querySelectorAll('.print-running')].filter(visible);
  const top = running.find((el) => el.classList.contains('print-header'));
  const bottom = running.find((el) => el.classList.contains('print-footer'));
  if (!top || !bottom) problems.push(`print header and footer: ${top ? '' : 'no visible .print-header '}${bottom ? '' : 'no visible .print-footer'}`);
  for (const el of [top, bottom].filter(Boolean)) {
    const text = el.textContent;
    if (!/Revision \S+/.test(text) || !/(Approved|Draft|approval)/.test(text) || !el.querySelector('time[datetime]')) {
      problems.push(`${describe(el)} lacks the revision, its approval or the build day: “${text.replace(/\s+/g, " ").trim().slice(0, 80)}”`);
    }
  }
  const main = document.querySelector('main');
  for (const a of main ? main.querySelectorAll('a[href]') : []) {
    const href = a.getAttribute('href').trim();
    if (!/^https?:\/\//i.test(href) || !visible(a)) continue;
    const after = getComputedStyle(a, '::after').content;
    if (!after.includes(href) && !after.includes(a.href)) {
      problems.push(`link address not printed: ${describe(a)} href=${href} (::after content: ${after})`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------- the audit of one page

/** Audits one page in `tab` ({ page, print }: print is true while print media is emulated). */
async function auditPage(tab, entry, results, baseUrl) {
  const { page } = tab;
  const { path } = entry;
  const isPrintPage = /\/all\/$/.test(path);
  await page.setViewportSize({ width: 1280, height: HEIGHT });
  if (tab.print) {
    await page.emulateMedia({ media: 'screen' });
    tab.print = false;
  }
  const response = await page.goto(baseUrl + path, { waitUntil: 'load' });
  const expectedStatus = path === '/404.html' ? 404 : 200;
  if (!response || (response.status() !== 200 && response.status() !== expectedStatus)) {
    throw new Error(`page answered ${response ? response.status() : 'nothing'}`);
  }

  // Keyboard, first, from a fresh load.
  const plan = await page.evaluate(keyboardPrepare);
  const presses = plan.count + 2;
  for (let i = 0; i < presses; i++) await page.keyboard.press('Tab');
  const log = await page.evaluate(keyboardCollect);
  results.record('keyboard', path, keyboardProblems(plan, log));

  // 1280 px: layout and axe.
  const layout = { minFont: MIN_FONT_PX, minTarget: MIN_TARGET_PX, scrollingTables: SCROLLING_TABLES };
  const wide = await page.evaluate(layoutCheck, layout);
  results.record('overflow-1280', path, wide.overflow);
  results.record('font-size-1280', path, grouped(wide.smallText));
  results.record('target-size-1280', path, grouped(wide.smallTargets));

  const axe = await runAxe(page, { type: 'tag', values: AXE_TAGS });
  results.record('axe', path, axe);
  // Dark mode must keep the same contrast: the colour rules again, dark.
  await page.emulateMedia({ colorScheme: 'dark' });
  results.record('axe-dark', path, await runAxe(page, { type: 'rule', values: ['color-contrast', 'link-in-text-block'] }));
  await page.emulateMedia({ colorScheme: 'light' });

  // Phone widths: reflow, text, targets, and every table cell in view.
  for (const width of NARROW_WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    const narrow = await page.evaluate(layoutCheck, layout);
    results.record(`overflow-${width}`, path, narrow.overflow);
    results.record(`font-size-${width}`, path, grouped(narrow.smallText));
    results.record(`target-size-${width}`, path, grouped(narrow.smallTargets));
    results.record(`table-cells-${width}`, path, narrow.tableCells);
  }

  if (isPrintPage) {
    await page.setViewportSize({ width: 1280, height: HEIGHT });
    await page.emulateMedia({ media: 'print' });
    tab.print = true;
    results.record('print', path, await page.evaluate(printCheck));
  }
}

/** axe's violations of `runOnly` on the page as it is, one line each. */
async function runAxe(page, runOnly) {
  const violations = await page.evaluate(async (runOnly) => {
    const run = await window.axe.run(document, { runOnly, resultTypes: ['violations'] });
    return run.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => {
        const data = n.any.find((c) => c.data && c.data.contrastRatio !== undefined)?.data;
        const target = n.target.flat(Infinity).join(' ');
        return data ? `${target} (${data.contrastRatio}:1 ${data.fgColor} on ${data.bgColor})` : target;
      }),
    }));
  }, runOnly);
  return violations.map((v) => {
    const nodes = v.nodes.length > 8 ? [...v.nodes.slice(0, 8), `+${v.nodes.length - 8} more`] : v.nodes;
    return `${v.id} [${nodes.join(', ')}] ${v.help}`;
  });
}

function keyboardProblems(plan, log) {
  const problems = [];
  if (!plan.hasSkip) problems.push('no skip link (a.skip-link or a[href="#main"])');
  else if (log.length === 0) problems.push('Tab focused nothing');
  else if (!log[0].skip) problems.push(`first Tab focused ${log[0].what}, not the skip link ${plan.skipName}`);

  // Order: compare until the first wrong stop. Indicator: every stop.
  let next = 0;
  let inOrder = true;
  let stops = 0;
  const noIndicator = [];
  for (const entry of log) {
    const extraStop = entry.index === -1 && entry.scroller; // a scrollable region Chromium lets the keyboard reach
    if (!extraStop && ++stops > plan.count) break;
    const indicated =
      (entry.outlineStyle !== 'none' && entry.outlineWidth >= 2) ||
      (entry.boxShadow && entry.boxShadow !== 'none') ||
      (entry.backgroundBefore !== null && entry.background !== entry.backgroundBefore);
    if (!indicated) noIndicator.push(entry.what);
    if (!inOrder || extraStop) continue;
    if (entry.index === next) next++;
    else {
      const got = `${entry.index >= 0 ? `#${entry.index + 1} ` : ''}${entry.what}`;
      problems.push(`focus order: expected #${next + 1} ${plan.names[next]}, Tab went to ${got}`);
      inOrder = false;
    }
  }
  if (inOrder && next < plan.count) {
    problems.push(`only ${next} of ${plan.count} focusables reached by Tab; first missed: #${next + 1} ${plan.names[next]}`);
  }
  for (const what of grouped(noIndicator)) problems.push(`no visible focus indicator: ${what}`);
  return problems;
}

// ---------------------------------------------------------------- screenshots

function sectionPagePath() {
  if (existsSync(join(PUBLIC, 'parents', 'introduction', 'index.html'))) return '/parents/introduction/';
  // Otherwise the first section the parents' contents page links to.
  const contents = join(PUBLIC, 'parents', 'index.html');
  const special = new Set(['all', 'people', 'organisations', 'curriculum', 'reviews', 'links', 'revisions', 'changes']);
  if (existsSync(contents)) {
    for (const m of readFileSync(contents, 'utf8').matchAll(/href="?(?:\.\.\/)*parents\/([a-z0-9-]+)\/"?/g)) {
      if (!special.has(m[1])) return `/parents/${m[1]}/`;
    }
  }
  return null;
}

/** The parents' newest page of marked changes, if they have one. */
function newestChangePath() {
  const list = join(PUBLIC, 'parents', 'changes', 'index.html');
  if (!existsSync(list)) return null;
  const m = readFileSync(list, 'utf8').match(/href="?(?:\.\.\/)*parents\/changes\/([^/"#> ]+\.\.\.[^/"#> ]+)\/"?/);
  return m ? `/parents/changes/${m[1]}/` : null;
}

/** The first governance view's pages worth a look on a phone, as [name, address]. */
function governanceShots() {
  const view = ['governors', 'governance'].find((v) => existsSync(join(PUBLIC, v, 'reviews', 'index.html')));
  if (!view) return [];
  const shots = [
    [`${view}-contents`, `/${view}/`],
    [`${view}-reviews`, `/${view}/reviews/`],
    [`${view}-revisions`, `/${view}/revisions/`],
  ];
  const section = sectionPagePath();
  if (section) shots.push([`${view}-section`, section.replace(/^\/parents\//, `/${view}/`)]);
  const changes = join(PUBLIC, view, 'changes');
  const pair = existsSync(changes) ? readdirSync(changes).filter((n) => n.includes('...')).sort().at(-1) : null;
  if (pair) {
    shots.push([`${view}-changes`, `/${view}/changes/${pair}/`]);
    shots.push([`${view}-side-by-side`, `/${view}/changes/${pair}/side-by-side/`]);
  }
  return shots.filter(([, path]) => existsSync(join(fileFor(path), 'index.html')));
}

async function takeScreenshots(browser, baseUrl) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const section = sectionPagePath();
  const shots = [
    ['landing', '/'],
    ['section', section],
    ['all', '/parents/all/'],
    // What changed for parents: the list, and the newest change marked.
    ['changes', '/parents/changes/'],
    ['change', newestChangePath()],
  ];
  const taken = [];
  const light = await browser.newContext({ colorScheme: 'light', reducedMotion: 'reduce' });
  const page = await light.newPage();
  for (const [name, path] of shots) {
    if (!path) continue;
    for (const width of [320, 1280]) {
      await page.setViewportSize({ width, height: HEIGHT });
      await page.goto(baseUrl + path, { waitUntil: 'load' });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
      taken.push(`${name}-${width}.png`);
    }
  }
  // The governance pages at a phone's width: the reviews cards, the
  // changes in both layouts, the timeline, a section with the one-line
  // overdue notice.
  await page.setViewportSize({ width: 390, height: HEIGHT });
  for (const [name, path] of governanceShots()) {
    await page.goto(baseUrl + path, { waitUntil: 'load' });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true });
    taken.push(`${name}-390.png`);
  }
  await page.setViewportSize({ width: 1280, height: HEIGHT });
  await page.emulateMedia({ media: 'print' });
  await page.goto(`${baseUrl}/parents/all/`, { waitUntil: 'load' });
  await page.screenshot({ path: join(SCREENSHOTS, 'all-print.png'), fullPage: true });
  taken.push('all-print.png');
  await light.close();
  if (section) {
    const dark = await browser.newContext({ colorScheme: 'dark', reducedMotion: 'reduce', viewport: { width: 1280, height: HEIGHT } });
    const darkPage = await dark.newPage();
    await darkPage.goto(baseUrl + section, { waitUntil: 'load' });
    await darkPage.screenshot({ path: join(SCREENSHOTS, 'section-1280-dark.png'), fullPage: true });
    taken.push('section-1280-dark.png');
    await dark.close();
  }
  return taken;
}

// ---------------------------------------------------------------- main

function elapsed(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const auditStarted = Date.now();
  let pages = sitePages();
  if (pages.length === 0) {
    console.error('audit: no pages in public/ or restricted/; build the site first (scripts/audit/run does)');
    process.exit(2);
  }
  // `--only landing` names the landing page, whose address (/) every path contains.
  if (options.only !== null) pages = pages.filter((p) => p.path.includes(options.only) || (options.only === 'landing' && p.path === '/'));
  if (pages.length === 0) {
    console.error(`audit: no page's path contains “${options.only}”`);
    process.exit(2);
  }
  console.log(`audit: ${pages.length} pages (${pages.filter((p) => /^(\/fixture|\/trust)?\/restricted\//.test(p.path)).length} restricted), ${WORKERS} at a time`);

  const results = new Results();
  const pathOfFile = new Map(pages.map((p) => [p.file, p.path]));
  const vnuTargets = options.only === null
    ? MOUNTS.map(([, folder]) => folder).filter(existsSync).map((d) => relative(ROOT, d))
    : pages.map((p) => relative(ROOT, p.file));
  const vnu = runVnu(vnuTargets, pathOfFile);

  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    let nextPage = 0;
    let done = 0;
    const worker = async () => {
      const context = await browser.newContext({ colorScheme: 'light', reducedMotion: 'reduce', viewport: { width: 1280, height: HEIGHT } });
      // axe is parsed into every page before it loads, sparing a round trip per page.
      await context.addInitScript({ content: AXE_SOURCE });
      await context.addInitScript({ content: `window.__auditDescribe = ${describeElement.toString()};` });
      // Transitions would make a focus style read halfway; remove them.
      await context.addInitScript({
        content: `document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style'); s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'; document.head.append(s); });`,
      });
      const tab = { page: await context.newPage(), print: false };
      while (nextPage < pages.length) {
        const entry = pages[nextPage++];
        try {
          await auditPage(tab, entry, results, baseUrl);
        } catch (e) {
          results.record('page', entry.path, [`audit could not finish: ${e.message.split('\n')[0]}`]);
          await tab.page.close().catch(() => {});
          tab.page = await context.newPage();
          tab.print = false;
        }
        done++;
        if (done % PROGRESS_EVERY === 0) console.log(`audit: ${done}/${pages.length} pages (${elapsed(Date.now() - auditStarted)})`);
      }
      await context.close();
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    const vnuResult = await vnu;
    if (vnuResult.fatal) results.record('vnu', '(all)', [vnuResult.fatal]);
    else {
      for (const page of pages) results.record('vnu', page.path, vnuResult.byPath.get(page.path) ?? []);
      for (const [path, problems] of vnuResult.byPath) {
        if (!pages.some((p) => p.path === path)) results.record('vnu', path, problems);
      }
    }

    if (options.only === null) {
      const taken = await takeScreenshots(browser, baseUrl);
      console.log(`audit: screenshots/ ${taken.join(' ')}`);
    }
  } finally {
    await browser.close();
    server.close();
  }

  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, 'audit.txt'), results.lines.join('\n') + (results.lines.length ? '\n' : ''));
  console.log(`audit: failures in screenshots/audit.txt; took ${elapsed(Date.now() - started)}`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(`audit: ${e.stack ?? e}`);
  process.exit(2);
});
