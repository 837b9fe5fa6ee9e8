//! Looking for a `#fragment` on a page as it arrives: the body is read a
//! piece at a time, never more than the page limit in all (counted after
//! gzip is undone), and each piece goes to html5ever's tokenizer, which
//! stops the reading as soon as an element with that id (or an `<a name>`)
//! has gone by. A page that is too large, cut off or damaged says so.
//!
//! html5ever's tokenizer cannot move between threads, so it runs on a
//! blocking thread of its own, fed through a channel of a few pieces: the
//! reading waits when the tokenizer falls behind, so memory stays bounded.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What the reading of a page found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    Found,
    Missing,
    /// More than the limit arrived before the fragment did.
    TooLarge,
    /// The body broke off or could not be decoded: what went wrong.
    Damaged(String),
}

/// Fragments a browser needs no element for: none, `#top`, and text
/// fragments (`#:~:text=…`), which are not ids.
pub fn needs_no_element(fragment: &str) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case("top") || fragment.starts_with(":~:")
}

/// Reads `response` until `fragment` is found, the body ends, or more
/// than `limit` bytes have arrived.
pub async fn search(response: &mut reqwest::Response, fragment: &str, limit: u64) -> Search {
    if response.content_length().is_some_and(|n| n > limit) {
        return Search::TooLarge;
    }
    let wanted = percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned();
    let found = Arc::new(AtomicBool::new(false));
    let (pieces, mut arriving) = tokio::sync::mpsc::channel::<bytes::Bytes>(4);
    let seen = Arc::clone(&found);
    let tokenizer = tokio::task::spawn_blocking(move || {
        let mut ids = Ids::new(wanted);
        while let Some(piece) = arriving.blocking_recv() {
            if ids.feed(&piece) {
                seen.store(true, Ordering::SeqCst);
                return true;
            }
        }
        ids.end()
    });
    let mut read: u64 = 0;
    let mut ending = None;
    loop {
        match response.chunk().await {
            Ok(Some(piece)) => {
                read = read.saturating_add(piece.len() as u64);
                if read > limit {
                    ending = Some(Search::TooLarge);
                    break;
                }
                if pieces.send(piece).await.is_err() || found.load(Ordering::SeqCst) {
                    break;
                }
            }
            Ok(None) => break,
            Err(error) => {
                ending = Some(Search::Damaged(super::reason::body_failure(&error)));
                break;
            }
        }
    }
    drop(pieces);
    // What arrived before the limit or the damage is still looked through.
    if tokenizer.await.unwrap_or(false) {
        return Search::Found;
    }
    ending.unwrap_or(Search::Missing)
}

/// The tokenizer and the bytes of a character split between two pieces.
struct Ids {
    tokenizer: Tokenizer<Sink>,
    queue: BufferQueue,
    carry: Vec<u8>,
}

struct Sink {
    wanted: String,
    found: Cell<bool>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(Tag {
            kind: TagKind::StartTag,
            name,
            attrs,
            ..
        }) = token
        {
            let hit = attrs.iter().any(|a| {
                let local = &*a.name.local;
                (local == "id" || (local == "name" && &*name == "a")) && *a.value == *self.wanted
            });
            if hit {
                self.found.set(true);
            }
        }
        TokenSinkResult::Continue
    }
}

impl Ids {
    fn new(wanted: String) -> Ids {
        Ids {
            tokenizer: Tokenizer::new(
                Sink {
                    wanted,
                    found: Cell::new(false),
                },
                TokenizerOpts::default(),
            ),
            queue: BufferQueue::default(),
            carry: Vec::new(),
        }
    }

    /// Tokenizes one more piece; true once the fragment has been seen.
    fn feed(&mut self, piece: &[u8]) -> bool {
        self.carry.extend_from_slice(piece);
        let whole = match std::str::from_utf8(&self.carry) {
            Ok(_) => self.carry.len(),
            // A character split at the end waits for the next piece.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.carry.len(),
        };
        let text = String::from_utf8_lossy(&self.carry[..whole]).into_owned();
        self.carry.drain(..whole);
        self.queue.push_back(StrTendril::from_slice(&text));
        let _ = self.tokenizer.feed(&self.queue);
        self.tokenizer.sink.found.get()
    }

    fn end(mut self) -> bool {
        if !self.carry.is_empty() {
            let rest = String::from_utf8_lossy(&self.carry).into_owned();
            self.carry.clear();
            self.queue.push_back(StrTendril::from_slice(&rest));
            let _ = self.tokenizer.feed(&self.queue);
        }
        self.tokenizer.end();
        self.tokenizer.sink.found.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found_in(pieces: &[&[u8]], wanted: &str) -> bool {
        let mut ids = Ids::new(wanted.into());
        pieces.iter().any(|p| ids.feed(p)) || ids.end()
    }

    #[test]
    fn ids_are_found_across_pieces_and_split_characters() {
        assert!(found_in(
            &[b"<h2 i", b"d=\"pres", b"ent\">x</h2>"],
            "present"
        ));
        assert!(found_in(&[b"<a name=old>"], "old"));
        assert!(!found_in(&[b"<p name=old>"], "old"));
        let text = "<h2 id=\"caf\u{e9}\">".as_bytes();
        let (a, b) = text.split_at(11);
        assert!(found_in(&[a, b], "caf\u{e9}"));
        assert!(!found_in(
            &[b"<p>present</p><!-- id=present -->"],
            "present"
        ));
    }

    #[test]
    fn some_fragments_need_no_element() {
        assert!(needs_no_element("top"));
        assert!(needs_no_element(":~:text=help"));
        assert!(!needs_no_element("help"));
    }
}
