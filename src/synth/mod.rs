//! Synthesis: a [`Document`] and a [`Voice`] → PCM audio, phrase by phrase.
//!
//! The stream is an iterator so that callers can stop between phrases (cancellation) and send
//! each phrase as soon as it is ready (streaming).

use std::sync::Arc;

use crate::text::{Document, Pause, Phrase, Span};
use crate::voice::Voice;

/// Controls a listener can set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Speaking rate, 1.0 = normal, 0.5..=4.0.
    pub rate: f32,
    /// Pitch shift in semitones, -12..=12.
    pub pitch: f32,
    /// Linear gain, 0..=2.
    pub volume: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            rate: 1.0,
            pitch: 0.0,
            volume: 1.0,
        }
    }
}

/// A parameter outside its range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    #[error("rate {0} is outside 0.5..=4.0")]
    Rate(f32),
    #[error("pitch {0} is outside -12..=12 semitones")]
    Pitch(f32),
    #[error("volume {0} is outside 0..=2")]
    Volume(f32),
}

impl Params {
    /// Checks every field's range.
    ///
    /// # Errors
    /// The first field outside its range (NaN is outside every range).
    pub fn new(rate: f32, pitch: f32, volume: f32) -> Result<Self, ParamError> {
        if !(0.5..=4.0).contains(&rate) {
            return Err(ParamError::Rate(rate));
        }
        if !(-12.0..=12.0).contains(&pitch) {
            return Err(ParamError::Pitch(pitch));
        }
        if !(0.0..=2.0).contains(&volume) {
            return Err(ParamError::Volume(volume));
        }
        Ok(Params {
            rate,
            pitch,
            volume,
        })
    }
}

/// Where one token's speech lies in a phrase's samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordTiming {
    /// The token's span in the original text.
    pub span: Span,
    /// First sample, counted from the start of the phrase.
    pub start: usize,
    pub end: usize,
}

/// The audio of one phrase, including the pause after it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhraseAudio {
    pub span: Span,
    pub samples: Vec<i16>,
    pub words: Vec<WordTiming>,
}

/// Synthesizes a document phrase by phrase.
pub struct PhraseStream {
    voice: Arc<Voice>,
    phrases: std::vec::IntoIter<Phrase>,
    params: Params,
}

/// Starts synthesizing `doc` with `voice`; nothing is computed until the first `next()`.
pub fn stream(voice: Arc<Voice>, doc: Document, params: Params) -> PhraseStream {
    let phrases: Vec<Phrase> = doc.sentences.into_iter().flat_map(|s| s.phrases).collect();
    PhraseStream {
        voice,
        phrases: phrases.into_iter(),
        params,
    }
}

impl Iterator for PhraseStream {
    type Item = PhraseAudio;

    fn next(&mut self) -> Option<PhraseAudio> {
        // Placeholder until the concatenative engine lands: a tone per syllable.
        let phrase = self.phrases.next()?;
        let sr = self.voice.info.sample_rate as usize;
        let per_syllable = (sr as f32 * 0.2 / self.params.rate) as usize;
        let mut samples = Vec::new();
        let mut words = Vec::new();
        for token in &phrase.tokens {
            let start = samples.len();
            for _ in &token.syllables {
                for n in 0..per_syllable {
                    let t = n as f32 / sr as f32;
                    let env = (std::f32::consts::PI * n as f32 / per_syllable as f32).sin();
                    let s = (2.0 * std::f32::consts::PI * 150.0 * t).sin()
                        * env
                        * 8000.0
                        * self.params.volume;
                    samples.push(s as i16);
                }
            }
            words.push(WordTiming {
                span: token.span,
                start,
                end: samples.len(),
            });
        }
        let pause_ms = match phrase.pause {
            Pause::None => 0,
            Pause::Comma => 200,
            Pause::Sentence => 400,
            Pause::Paragraph => 600,
        };
        samples.resize(samples.len() + sr * pause_ms / 1000, 0);
        Some(PhraseAudio {
            span: phrase.span,
            samples,
            words,
        })
    }
}
