//! The start tags of a whole page that carry one of a few attributes
//! (`start_tags_naming`), read with html5gum's WHATWG tokenizer through an
//! emitter that keeps only those attributes. Text, comments, doctypes, end
//! tags and every other attribute are skipped without a copy or an
//! allocation: a cold build reads every page it writes, and html5ever's
//! tokenizer (Tendrils, atoms, a token per run of text) spent a fifth of
//! the build there.
//!
//! It must give what html5ever's tokenizer gives when driven as
//! `html::start_tags` drives it: every element's content read as data
//! (no switch to raw text after `<script>`, `<style>`, `<title>` or
//! `<textarea>`, as no tree builder tells the tokenizer to), `<![CDATA[`
//! a bogus comment, names lower-cased, character references decoded, the
//! first of two attributes of one name kept. tests/page_tags.rs compares
//! the two on hostile markup and on every page of the example and the
//! fixtures.

use std::convert::Infallible;

use html5gum::{Emitter, Error, State, Tokenizer};

use super::StartTag;

/// The start tags in `html` with one of the attributes `only` names, each
/// with only those attributes, in document order.
pub fn start_tags_naming(html: &str, only: &'static [&'static str]) -> Vec<StartTag> {
    let mut tags = Vec::new();
    let emitter = NamedTags {
        only,
        tags: &mut tags,
        in_start_tag: false,
        name: Vec::new(),
        last_start_tag: Vec::new(),
        end_tag_name: Vec::new(),
        attributes: Vec::new(),
        attribute_name: Vec::new(),
        attribute: Attribute::Unread,
    };
    // A `&str` reader cannot fail (its error type is `Infallible`).
    let Ok(()) = Tokenizer::new_with_emitter(html, emitter).finish();
    tags
}

/// What became of the attribute being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attribute {
    /// Its name is still being read (or there is none).
    Unread,
    /// Kept: its value goes to `attributes[i]`.
    Kept(usize),
    /// Not wanted, or a second attribute of a name already kept.
    Skipped,
}

struct NamedTags<'a> {
    only: &'static [&'static str],
    tags: &'a mut Vec<StartTag>,
    /// Whether the tag being read is a start tag (an end tag's name and
    /// attributes are dropped, as html5ever's sink here drops them).
    in_start_tag: bool,
    name: Vec<u8>,
    /// For `current_is_appropriate_end_tag_token`, which the tokenizer asks
    /// only in raw-text states; this reader never enters them, but keeps
    /// the answer right.
    last_start_tag: Vec<u8>,
    end_tag_name: Vec<u8>,
    /// The wanted attributes of the tag being read: the index in `only`
    /// and the value's bytes.
    attributes: Vec<(usize, Vec<u8>)>,
    attribute_name: Vec<u8>,
    attribute: Attribute,
}

impl NamedTags<'_> {
    /// Decide whether the attribute whose name has been read is kept.
    fn settle_attribute(&mut self) {
        if self.attribute != Attribute::Unread || self.attribute_name.is_empty() {
            return;
        }
        let wanted = self
            .only
            .iter()
            .position(|name| name.as_bytes() == self.attribute_name.as_slice());
        self.attribute = match wanted {
            Some(i) if !self.attributes.iter().any(|(seen, _)| *seen == i) => {
                self.attributes.push((i, Vec::new()));
                Attribute::Kept(self.attributes.len() - 1)
            }
            // Either way it is skipped, but a duplicate of an unwanted
            // name does not matter and a duplicate of a wanted one keeps
            // the first, as the HTML standard (and html5ever) says.
            _ => Attribute::Skipped,
        };
    }
}

fn text(bytes: &[u8]) -> String {
    // The input is a `&str` and character references decode to UTF-8, so
    // this never replaces anything; lossy rather than a panic if it did.
    String::from_utf8_lossy(bytes).into_owned()
}

/// `text` of bytes the caller gives up: their buffer becomes the string's,
/// with no copy.
fn owned_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| text(e.as_bytes()))
}

impl Emitter for NamedTags<'_> {
    type Token = Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {}

    fn emit_error(&mut self, _error: Error) {}

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, _text: &[u8]) {}

    fn init_start_tag(&mut self) {
        self.in_start_tag = true;
        self.name.clear();
        self.attributes.clear();
        self.attribute_name.clear();
        self.attribute = Attribute::Unread;
    }

    fn init_end_tag(&mut self) {
        self.in_start_tag = false;
        self.end_tag_name.clear();
        self.attributes.clear();
        self.attribute_name.clear();
        self.attribute = Attribute::Unread;
    }

    fn init_comment(&mut self) {}

    fn emit_current_tag(&mut self) -> Option<State> {
        if !self.in_start_tag {
            self.last_start_tag.clear();
            return None;
        }
        self.settle_attribute();
        self.last_start_tag.clear();
        self.last_start_tag.extend_from_slice(&self.name);
        if !self.attributes.is_empty() {
            let attributes = self
                .attributes
                .drain(..)
                .map(|(i, value)| (self.only[i].to_owned(), owned_text(value)))
                .collect();
            self.tags.push(StartTag {
                name: text(&self.name),
                attributes,
            });
        }
        // Never a raw-text state: see the module's first lines.
        None
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {}

    fn set_force_quirks(&mut self) {}

    fn push_tag_name(&mut self, s: &[u8]) {
        if self.in_start_tag {
            self.name.extend_from_slice(s);
        } else {
            self.end_tag_name.extend_from_slice(s);
        }
    }

    fn push_comment(&mut self, _s: &[u8]) {}

    fn push_doctype_name(&mut self, _s: &[u8]) {}

    fn init_doctype(&mut self) {}

    fn init_attribute(&mut self) {
        self.settle_attribute();
        self.attribute_name.clear();
        self.attribute = Attribute::Unread;
    }

    fn init_attribute_value(&mut self) {
        self.settle_attribute();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        if self.in_start_tag {
            self.attribute_name.extend_from_slice(s);
        }
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        self.settle_attribute();
        if let Attribute::Kept(i) = self.attribute {
            self.attributes[i].1.extend_from_slice(s);
        }
    }

    fn set_doctype_public_identifier(&mut self, _value: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _value: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _s: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _s: &[u8]) {}

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        !self.in_start_tag
            && !self.last_start_tag.is_empty()
            && self.end_tag_name == self.last_start_tag
    }
}
