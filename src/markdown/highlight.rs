//! Fenced code highlighted with syntect into `hl-` CSS classes (no inline
//! styles, so the theme's stylesheet and dark mode decide the colours).

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `<pre><code>` with highlighted spans for a known language, escaped
/// plain text otherwise.
pub fn code_block(language: &str, code: &str) -> String {
    let set = syntaxes();
    let syntax = (!language.is_empty())
        .then(|| set.find_syntax_by_token(language))
        .flatten();
    let Some(syntax) = syntax else {
        return format!(
            "<pre class=\"code\"><code>{}</code></pre>\n",
            crate::html::escape(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\"><code>{}</code></pre>\n",
                crate::html::escape(code)
            );
        }
    }
    format!(
        "<pre class=\"code\"><code class=\"language-{}\">{}</code></pre>\n",
        crate::html::escape(language),
        generator.finalize()
    )
}

/// The stylesheet for the highlighting classes, light and dark: the same
/// for every site, so made once (loading syntect's themes was 1.5% of
/// each of `serve`'s rebuilds, and of each school of a trust).
pub fn stylesheet() -> String {
    static MADE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MADE.get_or_init(make_stylesheet).clone()
}

fn make_stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light =
        css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], STYLE)
        .unwrap_or_default();
    format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_languages_get_classes_and_unknown_are_escaped() {
        let html = super::code_block("yaml", "title: <Scope>\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;Scope&gt;"), "{html}");
        let plain = super::code_block("nosuchlanguage", "<b>\n");
        assert!(plain.contains("&lt;b&gt;"), "{plain}");
    }
}
