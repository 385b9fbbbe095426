//! Loa — a Vietnamese text-to-speech service.
//!
//! # Layout
//! The pipeline, one stage per module, each a pure function over typed values:
//! - [`text::clean`]: raw text → canonical text with a byte map back to the original.
//! - [`text::sentences`]: canonical text → sentence spans.
//! - [`text::normalize`]: a sentence → spoken tokens and pauses → [`text::Phrase`]s.
//! - [`text::syllable`]: a spoken word → [`text::Syllable`] (onset, medial, nucleus, coda, tone).
//! - [`voice`]: the unit inventories under `voices/` and their loading.
//! - [`synth`]: a [`text::Document`] and a voice → PCM, phrase by phrase.
//! - [`audio`]: PCM → WAV bytes.
//! - [`http`]: the service; the only async code.

pub mod audio;
pub mod http;
pub mod synth;
pub mod text;
pub mod voice;
