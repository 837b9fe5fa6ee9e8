//! The trust's own pages: the landing page at the top of `public/` (every
//! school, the revision in force there, its approval and next review,
//! with a link to the school's site) and the dashboard at the top of
//! `restricted/` (what each school must attend to), in the default
//! theme's look and with its stylesheets. Never anything restricted in the
//! public page: it shows only what each school's own landing page shows.

use serde::Serialize;
use tera::{Context, Tera};

use super::dashboard::{SchoolStatus, TrustStatus};
use crate::diagnostics::Diagnostic;
use crate::output::Tree;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "trust-base.html",
        include_str!("../../themes/default/templates/trust-base.html"),
    ),
    (
        "trust-landing.html",
        include_str!("../../themes/default/templates/trust-landing.html"),
    ),
    (
        "trust-dashboard.html",
        include_str!("../../themes/default/templates/trust-dashboard.html"),
    ),
];

/// What every trust page's frame shows.
#[derive(Serialize)]
struct Frame<'a> {
    lang: &'a str,
    generator: String,
    title: &'a str,
    trust: &'a str,
    description: String,
    restricted: bool,
    schools: usize,
    today: String,
}

/// A school's card.
#[derive(Serialize)]
struct Card<'a> {
    #[serde(flatten)]
    school: &'a SchoolStatus,
    url: Option<String>,
    template: String,
    checked: bool,
    attend: bool,
}

/// The trust's two pages and the stylesheets they use: `public` gets
/// index.html and assets/, `restricted` the dashboard and assets/.
pub fn render(
    status: &TrustStatus,
    assets: &[(String, Vec<u8>)],
) -> Result<(Tree, Tree), Diagnostic> {
    let mut tera = Tera::default();
    tera.add_raw_templates(
        TEMPLATES
            .iter()
            .map(|(file, text)| (*file, crate::render::compact::template(text))),
    )
    .map_err(|e| bug(&e))?;
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(crate::html::escape);
    let today = crate::model::PolicyDate::parse(&status.today)
        .map_or_else(|_| status.today.clone(), |d| d.long());
    let frame = |title, restricted| Frame {
        lang: "en-GB",
        generator: format!("policyweb {}", env!("CARGO_PKG_VERSION")),
        title,
        trust: &status.trust,
        description: format!(
            "The online safety policies of the schools of {}",
            status.trust
        ),
        restricted,
        schools: status.schools.len(),
        today: today.clone(),
    };
    let cards = |restricted: bool| -> Vec<Card> {
        status
            .schools
            .iter()
            .map(|school| Card {
                school,
                url: if restricted {
                    school
                        .governance_view
                        .as_ref()
                        .map(|view| format!("{}/{view}/index.html", school.id))
                } else {
                    Some(format!("{}/index.html", school.id))
                },
                template: school.template.describe(),
                checked: school.broken_links.is_some(),
                attend: school.fails(),
            })
            .collect()
    };
    let page = |template: &str, frame: Frame, restricted: bool| -> Result<Vec<u8>, Diagnostic> {
        let mut context = Context::new();
        context.insert("page", &frame);
        context.insert("schools", &cards(restricted));
        context.insert(
            "attention",
            &status.schools.iter().filter(|s| s.fails()).count(),
        );
        let html = tera.render(template, &context).map_err(|e| bug(&e))?;
        Ok(crate::output::finish_page(html.into_bytes()))
    };
    let mut public = Tree::default();
    let mut restricted = Tree::default();
    public.insert(
        "index.html",
        page(
            "trust-landing.html",
            frame("Online safety policies", false),
            false,
        )?,
    );
    restricted.insert(
        "index.html",
        page("trust-dashboard.html", frame("Trust dashboard", true), true)?,
    );
    for (name, bytes) in assets {
        public.insert(format!("assets/{name}"), bytes.clone());
        restricted.insert(format!("assets/{name}"), bytes.clone());
    }
    Ok((public, restricted))
}

/// The built-in templates are part of the binary: one that fails is a bug.
fn bug(error: &tera::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "the trust's pages could not be made: {}",
        crate::render::theme::describe(error)
    ))
    .help("this is a bug in policyweb: please report it with this message")
}
