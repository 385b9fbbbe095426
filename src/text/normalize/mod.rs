//! Stage 3 of the front end: written tokens → spoken Vietnamese.
//!
//! Input: one cleaned sentence. Output: [`Item`]s — tokens with their spoken syllables, and the
//! pauses that punctuation asks for — with spans relative to the sentence.

use super::{Pause, Phrase, Span, Syllable, Token, TokenKind};

/// One piece of a normalized sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Token(Token),
    Pause(Pause),
}

/// Normalizes one sentence into tokens and pauses.
pub fn normalize(sentence: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut offset = 0;
    for piece in sentence.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end();
        let start = offset;
        offset += piece.len();
        let bare = word.trim_end_matches([',', ';', ':', '.', '!', '?']);
        if !bare.is_empty() {
            let spoken = vec![bare.to_lowercase()];
            let syllables: Vec<Syllable> = spoken.iter().filter_map(|s| s.parse().ok()).collect();
            let kind = if syllables.len() == spoken.len() {
                TokenKind::Word
            } else {
                TokenKind::Silent
            };
            let (spoken, syllables) = if kind == TokenKind::Word {
                (spoken, syllables)
            } else {
                (Vec::new(), Vec::new())
            };
            items.push(Item::Token(Token {
                span: Span::new(start, start + bare.len()),
                kind,
                spoken,
                syllables,
            }));
        }
        if word.len() > bare.len() && word[bare.len()..].starts_with([',', ';', ':']) {
            items.push(Item::Pause(Pause::Comma));
        }
    }
    items
}

/// Groups a sentence's items into phrases at pauses; the last phrase ends the sentence.
pub fn phrases(items: Vec<Item>) -> Vec<Phrase> {
    let mut out = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    for item in items {
        match item {
            Item::Token(t) => tokens.push(t),
            Item::Pause(p) if !tokens.is_empty() => {
                out.push(phrase(std::mem::take(&mut tokens), p))
            }
            Item::Pause(_) => {}
        }
    }
    if !tokens.is_empty() {
        out.push(phrase(tokens, Pause::Sentence));
    } else if let Some(last) = out.last_mut() {
        last.pause = Pause::Sentence;
    }
    out
}

fn phrase(tokens: Vec<Token>, pause: Pause) -> Phrase {
    let span = Span::new(tokens[0].span.start, tokens[tokens.len() - 1].span.end);
    Phrase {
        span,
        tokens,
        pause,
    }
}
