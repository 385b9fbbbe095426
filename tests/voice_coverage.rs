//! Every valid syllable is speakable: both of its units exist in the voice.

use std::collections::BTreeSet;
use std::sync::Arc;

use loa::synth::{self, Params};
use loa::text::{Document, Pause, Phrase, Sentence, Span, Syllable, Token, TokenKind};
use loa::voice::{synthetic, UnitKey, Voice};

/// The units of `Syllable::all()` that `voice` lacks.
fn missing(voice: &Voice) -> BTreeSet<UnitKey> {
    Syllable::all()
        .flat_map(|s| UnitKey::for_syllable(&s))
        .filter(|k| voice.unit(k).is_none())
        .collect()
}

#[test]
fn the_synthetic_voice_covers_the_whole_syllable_space() {
    let voice = synthetic::voice();
    assert!(Syllable::all().count() > 10_000);
    assert_eq!(missing(&voice), BTreeSet::new());
}

#[test]
fn the_engine_speaks_a_sample_of_the_syllable_space_without_failing() {
    let voice = Arc::new(synthetic::voice());
    let tokens: Vec<Token> = Syllable::all()
        .step_by(97)
        .enumerate()
        .map(|(i, s)| Token {
            span: Span::new(i, i + 1),
            kind: TokenKind::Word,
            spoken: vec![s.to_string()],
            syllables: vec![s],
        })
        .collect();
    let n = tokens.len();
    let doc = Document {
        sentences: vec![Sentence {
            span: Span::new(0, n),
            phrases: vec![Phrase {
                span: Span::new(0, n),
                tokens,
                pause: Pause::Sentence,
                prosody: Default::default(),
            }],
        }],
    };
    synth::check(&voice, &doc).unwrap();
    let phrase = synth::stream(voice, doc, Params::default()).next().unwrap();
    assert_eq!(phrase.words.len(), n);
    assert!(phrase.words.iter().all(|w| w.end > w.start));
}

#[test]
fn the_northern_voice_covers_the_whole_syllable_space() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/northern");
    let voice = Voice::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let gaps = missing(&voice);
    assert!(
        gaps.is_empty(),
        "{} units missing, e.g. {:?}",
        gaps.len(),
        gaps.iter().take(10).collect::<Vec<_>>()
    );
}
