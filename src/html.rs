//! Reading HTML as tags and attributes, with html5ever's tokenizer (the
//! parser ammonia uses), and escaping text for HTML. Used to check raw HTML
//! in Markdown and to find every link and id in rendered pages (those with
//! html5gum's tokenizer, in `named`: it is read for every page written).

mod named;

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// A start tag: its lower-case name and attributes in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

impl StartTag {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Collector {
    tags: RefCell<Vec<StartTag>>,
    /// Whether to keep the text too (only `text_of` wants it).
    keep_text: bool,
    text: RefCell<String>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(Tag {
            kind: TagKind::StartTag,
            name,
            attrs,
            ..
        }) = &token
        {
            let attributes = attrs
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            self.tags.borrow_mut().push(StartTag {
                name: name.to_string(),
                attributes,
            });
        }
        if let Token::CharacterTokens(text) = token
            && self.keep_text
        {
            self.text.borrow_mut().push_str(&text);
        }
        TokenSinkResult::Continue
    }
}

/// Every start tag in `html`, in document order.
pub fn start_tags(html: &str) -> Vec<StartTag> {
    tokenize(html, Collector::default()).tags.take()
}

/// The start tags in `html` that carry one of the attributes `only`
/// names, each with only those attributes (in document order): what a
/// check of a whole page's links and ids needs, without a string for
/// every class and every tag. The same as `start_tags` with the other tags
/// and attributes left out, several times faster.
pub fn start_tags_naming(html: &str, only: &'static [&'static str]) -> Vec<StartTag> {
    named::start_tags_naming(html, only)
}

/// The text a reader sees in a fragment of HTML: its tags dropped and
/// its character references decoded (`<a>S&amp;T</a>` is `S&T`).
pub fn text_of(html: &str) -> String {
    let collector = Collector {
        keep_text: true,
        ..Collector::default()
    };
    tokenize(html, collector).text.take()
}

fn tokenize(html: &str, collector: Collector) -> Collector {
    let tokenizer = Tokenizer::new(collector, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink
}

/// Text made safe to place in HTML content or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_and_attributes() {
        let tags = start_tags(
            r#"<p>x</p><a href="../people/#dsl" class=ref>DSL</a><img src=x onerror="alert(1)">"#,
        );
        let names: Vec<_> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "a", "img"]);
        assert_eq!(tags[1].attribute("href"), Some("../people/#dsl"));
        assert_eq!(tags[2].attribute("onerror"), Some("alert(1)"));
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<script>"&"#), "&lt;script&gt;&quot;&amp;");
    }
}
