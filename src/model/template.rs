//! What a site inherits from its template (issue 20's format): where each
//! section's text came from, the template's sections a school left out and
//! why, and the fill-ins the template asks each school for. Plain data,
//! worked out by `load` (the merge) and `validate` (the fill-ins).

use crate::diagnostics::Place;

/// Whose words a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// The site's own section, which the template does not have.
    #[default]
    Own,
    /// Inherited from the template as it stands.
    Template,
    /// The school's own file in place of the template's section of that id.
    Replaced,
}

/// The template a revision is built on.
#[derive(Debug, Clone)]
pub struct TemplateUse {
    /// The template's name, as its site.yaml gives it (`Anyshire Council`).
    pub name: String,
    /// Its site root as site.yaml names it, from this site's root
    /// (`../anyshire-template`).
    pub path: String,
    /// The template revision this revision is pinned to.
    pub pin: String,
    /// Template sections this revision leaves out, in the template's order.
    pub omitted: Vec<Omitted>,
}

/// A template section a school leaves out, with its reason.
#[derive(Debug, Clone)]
pub struct Omitted {
    pub id: String,
    /// The template section's title.
    pub title: String,
    pub reason: String,
    /// The school's file that omits it.
    pub place: Place,
}

/// A fill-in the template's text asks for: `[[fill:id]]`.
#[derive(Debug, Clone)]
pub struct Fill {
    pub id: String,
    /// What the school is asked to write.
    pub prompt: String,
    /// The words given for it, plain text; `None` while unfilled.
    pub text: Option<String>,
    /// Whether, unfilled, it is shown as a marked placeholder: the site
    /// being built declares it itself (a template's own build). Otherwise an
    /// unfilled fill-in is an error.
    pub placeholder: bool,
}
