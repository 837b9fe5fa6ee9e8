//! Bad input: each case breaks the minimal fixture site in one way and
//! expects exit code 1, an error naming the file, line and column with the
//! right message, no panic, and the last good public/ left byte-identical.

mod common;

use common::Site;

struct Case {
    name: &'static str,
    edit: fn(&Site),
    /// `file:line:col`, or just the file for a problem with a whole file.
    location: &'static str,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "malformed YAML",
        edit: |s| {
            s.replace(
                "data/people.yaml",
                "roles: [online-safety-lead, online-safety-group]",
                "roles: [online-safety-lead, online-safety-group",
            )
        },
        location: "data/people.yaml:9:10",
        message: "the `[` on line 9 is never closed",
    },
    Case {
        name: "a tab in the indentation",
        edit: |s| {
            s.replace(
                "data/people.yaml",
                "  name: Ben Okafor\n",
                "\tname: Ben Okafor\n",
            )
        },
        location: "data/people.yaml:8:1",
        message: "a tab where YAML needs spaces",
    },
    Case {
        name: "a key indented one space too many",
        edit: |s| {
            s.replace(
                "data/people.yaml",
                "  roles: [online-safety-lead, online-safety-group]",
                "   roles: [online-safety-lead, online-safety-group]",
            )
        },
        location: "data/people.yaml:9:4",
        message: "line 9 is indented 3 spaces, out of line with line 8 above it (2 spaces)",
    },
    Case {
        name: "a key indented one space too few",
        edit: |s| {
            s.replace(
                "data/people.yaml",
                "  roles: [online-safety-lead, online-safety-group]",
                " roles: [online-safety-lead, online-safety-group]",
            )
        },
        location: "data/people.yaml:9:2",
        message: "line 9 is indented 1 space, out of line with line 8 above it (2 spaces)",
    },
    Case {
        name: "a list where keys and values are needed",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "  name: Hillside Primary School\n  website:",
                "  - name: Hillside Primary School\n    website:",
            )
        },
        location: "data/site.yaml:2:3",
        message: "`school` needs keys and values, not a list",
    },
    Case {
        name: "a single value where a list is needed",
        edit: |s| {
            s.replace(
                "data/people.yaml",
                "roles: [online-safety-lead, online-safety-group]",
                "roles: online-safety-group",
            )
        },
        location: "data/people.yaml:9:10",
        message: "`roles` needs a list, even of one",
    },
    Case {
        name: "keys and values where a list is needed",
        edit: |s| {
            s.write(
                "data/roles.yaml",
                "dsl:\n  title: Designated Safeguarding Lead\n  description: Leads on safeguarding.\n",
            )
        },
        location: "data/roles.yaml:1:1",
        message: "roles.yaml needs a list, not keys and values",
    },
    Case {
        name: "a misspelt key",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "title: Reporting a concern",
                "tilte: Reporting a concern",
            )
        },
        location: "content/020-reporting.md:2:1",
        message: "did you mean `title`?",
    },
    Case {
        name: "a kind of reference in the wrong case",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "[[role:dsl]]",
                "[[Role:DSL]]",
            )
        },
        location: "content/010-introduction.md:8:5",
        message: "did you mean `[[role:dsl]]`?",
    },
    Case {
        name: "front matter without its closing line",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "owner: dsl\n---\n",
                "owner: dsl\n",
            )
        },
        location: "content/020-reporting.md:1:1",
        message: "the front matter is never closed",
    },
    Case {
        name: "a broken link in raw HTML",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "Tell any member of staff,",
                "Tell any member of staff (<a href=\"#how-to-complain\">see below</a>),",
            )
        },
        location: "content/020-reporting.md:8:27",
        message: "the link `#how-to-complain` is broken",
    },
    Case {
        name: "unknown key",
        edit: |s| {
            s.replace(
                "data/roles.yaml",
                "  title: Headteacher\n",
                "  title: Headteacher\n  colour: red\n",
            )
        },
        location: "data/roles.yaml:12:3",
        message: "unknown key `colour`",
    },
    Case {
        name: "missing title",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "title: Reporting a concern\n",
                "",
            )
        },
        location: "content/020-reporting.md:2:1",
        message: "missing required key `title`",
    },
    Case {
        name: "duplicate section id",
        edit: |s| {
            s.write(
                "content/025-reporting.md",
                "---\ntitle: Reporting again\n---\nText.\n",
            )
        },
        location: "content/025-reporting.md:1:1",
        message: "two sections have the id `reporting`",
    },
    Case {
        name: "unknown role reference",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "[[role:dsl]]",
                "[[role:dls]]",
            )
        },
        location: "content/010-introduction.md:8:5",
        message: "unknown role `dls`",
    },
    Case {
        name: "unknown person reference",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "[[person:ben-okafor]]",
                "[[person:ben-okafr]]",
            )
        },
        location: "content/010-introduction.md:9:1",
        message: "unknown person `ben-okafr`",
    },
    Case {
        name: "unknown organisation reference",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "[[org:ceop]]",
                "[[org:ceop-uk]]",
            )
        },
        location: "content/020-reporting.md:8:38",
        message: "unknown organisation `ceop-uk`",
    },
    Case {
        name: "unknown section reference",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "[[section:reporting#how-to-report]]",
                "[[section:reportin]]",
            )
        },
        location: "content/010-introduction.md:15:5",
        message: "unknown section `reportin`",
    },
    Case {
        name: "unknown date reference",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "[[date:policy-created]]",
                "[[date:created]]",
            )
        },
        location: "content/010-introduction.md:6:1",
        message: "unknown date `created`",
    },
    Case {
        name: "unclosed audience block",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "See [[section:checking-devices]].\n:::\n",
                "See [[section:checking-devices]].\n",
            )
        },
        location: "content/020-reporting.md:10:1",
        message: "this audience block is never closed",
    },
    Case {
        name: "unknown view in an audience block",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "::: staff governors",
                "::: staff teachers",
            )
        },
        location: "content/020-reporting.md:10:11",
        message: "`teachers` is not a view",
    },
    Case {
        name: "stray closing marker",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "The Online Safety Group:\n",
                "The Online Safety Group:\n:::\n",
            )
        },
        location: "content/010-introduction.md:12:1",
        message: "`:::` closes an audience block, but none is open",
    },
    Case {
        name: "placeholder link",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "contact [[org:ceop]]",
                "contact [CEOP](#)",
            )
        },
        location: "content/020-reporting.md:8:38",
        message: "`#` is a placeholder, not a link target",
    },
    Case {
        name: "javascript: link in Markdown",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "contact [[org:ceop]]",
                "contact [CEOP](javascript:alert(1))",
            )
        },
        location: "content/020-reporting.md:8:38",
        message: "uses the javascript: scheme",
    },
    Case {
        name: "javascript: address in data",
        edit: |s| {
            s.replace(
                "data/organisations.yaml",
                "https://www.ceop.police.uk/",
                "javascript:alert(1)",
            )
        },
        location: "data/organisations.yaml:3:8",
        message: "uses the javascript: scheme",
    },
    Case {
        name: "http address without allow_http",
        edit: |s| {
            s.replace(
                "data/organisations.yaml",
                "https://www.ceop.police.uk/",
                "http://www.ceop.police.uk/",
            )
        },
        location: "data/organisations.yaml:3:8",
        message: "uses http:, which is not secure",
    },
    Case {
        name: "a date that does not exist",
        edit: |s| {
            s.replace(
                "data/versions.yaml",
                "approved: 2024-03-13",
                "approved: 2024-02-30",
            )
        },
        location: "data/versions.yaml:3:13",
        message: "`2024-02-30` is not a date: February 2024 has no day 30",
    },
    Case {
        name: "non-UTF-8 file",
        edit: |s| s.write("content/040-latin1.md", b"---\ntitle: Caf\xe9\n---\n"),
        location: "content/040-latin1.md",
        message: "is not UTF-8 text (line 2",
    },
    Case {
        name: "empty content folder",
        edit: |s| {
            s.remove("content");
            std::fs::create_dir(s.path("content")).unwrap();
        },
        location: "content/",
        message: "content/ has no sections",
    },
    Case {
        name: "a section reference the view hides",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "to raise a concern.",
                "to raise a concern, and [[section:checking-devices]].",
            )
        },
        location: "content/010-introduction.md:15:65",
        message: "which the parents view does not show",
    },
    Case {
        name: "broken fragment",
        edit: |s| {
            s.replace(
                "content/010-introduction.md",
                "[[section:reporting#how-to-report]]",
                "[[section:reporting#how-to-complain]]",
            )
        },
        location: "content/010-introduction.md:15:5",
        message: "there is no heading `#how-to-complain` there; its headings' ids are `#how-to-report`, `#who-is-told`",
    },
    Case {
        name: "broken plain link",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "Staff follow",
                "See [the log](../incident-log/). Staff follow",
            )
        },
        location: "content/020-reporting.md:24:5",
        message: "the link `../incident-log/` is broken",
    },
    Case {
        name: "unknown role in people.yaml",
        edit: |s| {
            s.replace(
                "data/people.yaml",
                "roles: [dsl, online-safety-group]",
                "roles: [dls, online-safety-group]",
            )
        },
        location: "data/people.yaml:3:11",
        message: "unknown role `dls`",
    },
    Case {
        name: "duplicate person id",
        edit: |s| s.replace("data/people.yaml", "- id: ben-okafor", "- id: asha-patel"),
        location: "data/people.yaml:7:7",
        message: "the person id `asha-patel` is used twice (first on line 1)",
    },
    Case {
        name: "invalid id",
        edit: |s| s.replace("data/roles.yaml", "- id: headteacher", "- id: Head Teacher"),
        location: "data/roles.yaml:10:7",
        message: "`Head Teacher` is not a valid role id",
    },
    Case {
        name: "image without alt text",
        edit: |s| {
            s.write("content/flowchart.png", b"\x89PNG\r\n\x1a\n");
            s.replace(
                "content/020-reporting.md",
                "## Who is told",
                "![](flowchart.png)\n\n## Who is told",
            );
        },
        location: "content/020-reporting.md:15:1",
        message: "this image has no alt text",
    },
    Case {
        name: "missing image",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "## Who is told",
                "![The flowchart](flowchrt.png)\n\n## Who is told",
            )
        },
        location: "content/020-reporting.md:15:1",
        message: "the image `flowchrt.png` is not in content/",
    },
    Case {
        name: "unknown audience in front matter",
        edit: |s| {
            s.replace(
                "content/030-procedures/_index.md",
                "audiences: [staff, governors]",
                "audiences: [staff, governers]",
            )
        },
        location: "content/030-procedures/_index.md:4:20",
        message: "`governers` is not a view",
    },
    Case {
        name: "unknown owner role",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "owner: dsl",
                "owner: safeguarding",
            )
        },
        location: "content/020-reporting.md:4:8",
        message: "unknown role `safeguarding`",
    },
    Case {
        name: "interval that is not an interval",
        edit: |s| s.replace("data/reviews.yaml", "every: 12 months", "every: yearly"),
        location: "data/reviews.yaml:9:12",
        message: "`yearly` is not an interval",
    },
    Case {
        name: "missing site.yaml",
        edit: |s| s.remove("data/site.yaml"),
        location: "data/site.yaml",
        message: "data/site.yaml is missing",
    },
    Case {
        name: "unknown view for a contact",
        edit: |s| {
            s.replace(
                "data/people.yaml",
                "views: [staff, governors]",
                "views: [staff, parent]",
            )
        },
        location: "data/people.yaml:6:20",
        message: "unknown view `parent`",
    },
    Case {
        name: "approved revision without a date",
        edit: |s| s.replace("data/versions.yaml", "  approved: 2024-03-13\n", ""),
        location: "data/versions.yaml:2:11",
        message: "revision 2024-25 is approved but has no approval date",
    },
    Case {
        name: "a frozen revision's folder is missing",
        edit: |s| {
            s.replace(
                "data/versions.yaml",
                "  next_review: 2024-09\n",
                "  next_review: 2024-09\n  source: versions/2023-24\n",
            )
        },
        location: "data/versions.yaml:7:11",
        message: "revision 2024-25 should be in versions/2023-24/, which does not exist",
    },
    Case {
        name: "a draft that is not the newest revision",
        edit: |s| {
            s.replace("data/versions.yaml", "status: approved", "status: draft");
            s.replace(
                "data/versions.yaml",
                "  next_review: 2024-09\n",
                "  next_review: 2024-09\n  source: working\n- id: 2025-26\n  status: approved\n  approved: 2025-03-01\n  approved_by: FGB\n  next_review: 2025-09\n",
            );
        },
        location: "data/versions.yaml:2:11",
        message: "revision 2024-25 is a draft, but a newer revision follows it",
    },
    Case {
        name: "an older revision reading the working tree",
        edit: |s| {
            s.replace(
                "data/versions.yaml",
                "  next_review: 2024-09\n",
                "  next_review: 2024-09\n  source: working\n- id: 2025-26\n  status: draft\n  next_review: 2025-09\n",
            )
        },
        location: "data/versions.yaml:7:11",
        message: "revision 2024-25 reads the working tree, but it is not the newest revision",
    },
    Case {
        name: "a revision source that is not one",
        edit: |s| {
            s.replace(
                "data/versions.yaml",
                "  next_review: 2024-09\n",
                "  next_review: 2024-09\n  source: ../elsewhere\n",
            )
        },
        location: "data/versions.yaml:7:11",
        message: "`../elsewhere` is not a revision source",
    },
    Case {
        name: "unknown strand in a curriculum unit",
        edit: |s| {
            s.write(
                "data/curriculum.yaml",
                CURRICULUM.replace("[privacy-and-security]", "[privacy-and-securty]"),
            )
        },
        location: "data/curriculum.yaml:8:19",
        message: "unknown strand `privacy-and-securty`",
    },
    Case {
        name: "a term that is not one",
        edit: |s| {
            s.write(
                "data/curriculum.yaml",
                CURRICULUM.replace("Autumn 1", "Autumn term"),
            )
        },
        location: "data/curriculum.yaml:7:15",
        message: "`Autumn term` is not a term",
    },
    Case {
        name: "a year-group id taken by a curriculum page",
        edit: |s| {
            s.write(
                "data/curriculum.yaml",
                CURRICULUM.replace("id: year-1", "id: coverage"),
            )
        },
        location: "data/curriculum.yaml:2:9",
        message: "`coverage` cannot be a year-group id",
    },
    Case {
        name: "a unit without strands",
        edit: |s| {
            s.write(
                "data/curriculum.yaml",
                CURRICULUM.replace("[privacy-and-security]", "[]"),
            )
        },
        location: "data/curriculum.yaml:8:18",
        message: "the unit ‘Passwords’ names no strand",
    },
    Case {
        name: "unknown strand in front matter",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "owner: dsl\n",
                "owner: dsl\nstrands: [online-bulying]\n",
            )
        },
        location: "content/020-reporting.md:5:11",
        message: "unknown strand `online-bulying`",
    },
    Case {
        name: "unknown strand reference",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "Tell any member of staff,",
                "Tell any member of staff ([[strand:bullying]]),",
            )
        },
        location: "content/020-reporting.md:8:27",
        message: "unknown strand `bullying`",
    },
    Case {
        name: "a curriculum reference without a curriculum",
        edit: |s| {
            s.replace(
                "content/020-reporting.md",
                "Tell any member of staff,",
                "See [[curriculum]]. Tell any member of staff,",
            )
        },
        location: "content/020-reporting.md:8:5",
        message: "revision 2024-25 has no curriculum map to link to",
    },
    Case {
        name: "an unknown kind of curriculum page",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "    governance: true\n",
                "    governance: true\n    curriculum: [map, gaps]\n",
            )
        },
        location: "data/site.yaml:18:23",
        message: "`gaps` is not a kind of curriculum page",
    },
    Case {
        name: "a section id taken by a page of the view",
        edit: |s| s.write("content/040-people.md", "---\ntitle: People\n---\nText.\n"),
        location: "content/040-people.md:1:1",
        message: "`people` cannot be a section id",
    },
    Case {
        name: "a strand id used twice",
        edit: |s| {
            s.write(
                "data/strands.yaml",
                "name: Our framework\nstrands:\n  - id: kindness\n    name: Kindness\n  - id: kindness\n    name: Kindness again\n",
            )
        },
        location: "data/strands.yaml:5:9",
        message: "the strand id `kindness` is used twice",
    },
    Case {
        name: "a year group in two age bands",
        edit: |s| {
            s.write(
                "data/strands.yaml",
                "name: Our framework\nage_bands:\n  - id: infants\n    name: Infants\n    years: [year-1, year-2]\n  - id: juniors\n    name: Juniors\n    years: [year-2, year-3]\nstrands:\n  - id: kindness\n    name: Kindness\n",
            )
        },
        location: "data/strands.yaml:8:13",
        message: "the year group `year-2` is already in the age band Infants",
    },
    Case {
        name: "an accessibility contact email that is not an address",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "email: office@hillside.example",
                "email: office.hillside.example",
            )
        },
        location: "data/site.yaml:20:12",
        message: "`office.hillside.example` is not an email address",
    },
    Case {
        name: "a javascript: accessibility contact url",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "    phone: \"01632 960000\"\n",
                "    phone: \"01632 960000\"\n    url: javascript:alert(1)\n",
            )
        },
        location: "data/site.yaml:22:10",
        message: "uses the javascript: scheme",
    },
    Case {
        name: "an email address given as the accessibility contact url",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "    phone: \"01632 960000\"\n",
                "    phone: \"01632 960000\"\n    url: mailto:office@hillside.example\n",
            )
        },
        location: "data/site.yaml:22:10",
        message: "`mailto:office@hillside.example` is not a web address",
    },
    Case {
        name: "an unknown key in the accessibility block",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "  response_days: 10\n",
                "  response_days: 10\n  reply_days: 5\n",
            )
        },
        location: "data/site.yaml:23:3",
        message: "unknown key `reply_days`",
    },
    Case {
        name: "a compliance status the regulations do not use",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "  response_days: 10\n",
                "  response_days: 10\n  compliance: mostly\n",
            )
        },
        location: "data/site.yaml:23:15",
        message: "`mostly` is not a compliance status",
    },
    Case {
        name: "known accessibility issues on a site said to be fully compliant",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "  response_days: 10\n",
                "  response_days: 10\n  compliance: full\n  known_issues:\n    - The map has no text description.\n",
            )
        },
        location: "data/site.yaml:23:15",
        message: "the site is said to be fully compliant, but known_issues lists problems",
    },
    Case {
        name: "an accessibility statement date without a day",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "prepared: 2024-05-20",
                "prepared: 2024-05",
            )
        },
        location: "data/site.yaml:23:13",
        message: "`2024-05` has no day",
    },
    Case {
        name: "a base_url that names another host, not a path",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "base_url: https://hillside.example/online-safety/",
                "base_url: //other.host/",
            )
        },
        location: "data/site.yaml:6:11",
        message: "`//other.host/` is not a base address: it starts //, which names another host",
    },
    Case {
        name: "a base_url with no host after https://",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "base_url: https://hillside.example/online-safety/",
                "base_url: https:///online-safety/",
            )
        },
        location: "data/site.yaml:6:11",
        message: "it has no host name after https://",
    },
    Case {
        name: "a base_url with a space in its host",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "base_url: https://hillside.example/online-safety/",
                "base_url: https://hillside .example/online-safety/",
            )
        },
        location: "data/site.yaml:6:11",
        message: "it has a space, tab or line break in it",
    },
    Case {
        name: "a base_url with a query",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "base_url: https://hillside.example/online-safety/",
                "base_url: https://hillside.example/online-safety/?page=1",
            )
        },
        location: "data/site.yaml:6:11",
        message: "it has a `?` part",
    },
    Case {
        name: "a base_url with a fragment",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "base_url: https://hillside.example/online-safety/",
                "base_url: https://hillside.example/online-safety/#top",
            )
        },
        location: "data/site.yaml:6:11",
        message: "it has a `#` part",
    },
    Case {
        name: "a base_url with a user name and password",
        edit: |s| {
            s.replace(
                "data/site.yaml",
                "base_url: https://hillside.example/online-safety/",
                "base_url: https://office:secret@hillside.example/online-safety/",
            )
        },
        location: "data/site.yaml:6:11",
        message: "it has a user name or password before the host",
    },
];

/// A good curriculum.yaml for the minimal site, which cases break.
const CURRICULUM: &str = "years:
  - id: year-1
    name: Year 1
    units:
      - name: Passwords
        provider: Project Evolve
        term: Autumn 1
        strands: [privacy-and-security]
";

fn check(case: &Case) {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let before = site.snapshot();
    assert!(!before.is_empty());

    (case.edit)(&site);
    let run = site.build();
    let stderr = &run.stderr;
    assert_eq!(run.code, 1, "{}: expected exit 1\n{stderr}", case.name);
    assert!(
        !stderr.contains("panicked"),
        "{}: panicked\n{stderr}",
        case.name
    );
    assert!(
        stderr.contains(case.location),
        "{}: expected location {}\n{stderr}",
        case.name,
        case.location
    );
    assert!(
        stderr.contains(case.message),
        "{}: expected message {}\n{stderr}",
        case.name,
        case.message
    );
    assert!(
        stderr.contains("public was not changed") || stderr.contains("was not changed"),
        "{stderr}"
    );
    assert_eq!(
        site.snapshot(),
        before,
        "{}: public/ changed after a failed build",
        case.name
    );
}

#[test]
fn every_bad_input_is_reported_where_it_is_and_loses_nothing() {
    let mut failures = Vec::new();
    for case in CASES {
        if let Err(panic) = std::panic::catch_unwind(|| check(case)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(message);
        }
    }
    assert!(CASES.len() >= 25);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_problem_is_listed_not_only_the_first() {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/people.yaml",
        "roles: [dsl, online-safety-group]",
        "roles: [dls, online-safety-group]",
    );
    site.replace(
        "content/010-introduction.md",
        "[[date:policy-created]]",
        "[[date:created]]",
    );
    site.replace(
        "content/020-reporting.md",
        "contact [[org:ceop]]",
        "contact [CEOP](#)",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    for expected in [
        "unknown role `dls`",
        "unknown date `created`",
        "is a placeholder",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("The build failed with 3 errors"),
        "{}",
        run.stderr
    );
}

/// A mistake in site.yaml leaves the build without its views; it must be
/// the one error reported, not followed by every view id in the site
/// called unknown.
#[test]
fn a_mistake_in_site_yaml_is_not_buried_under_unknown_views() {
    let site = Site::copy_of("minimal");
    site.replace("data/site.yaml", "policy:\n", "policy:\n  colour: red\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown key `colour`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("The build failed with 1 error;"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_usage_error_exits_2() {
    let site = Site::copy_of("minimal");
    let run = site.run(&["build", "--today", "yesterday"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = site.run(&["publish"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
