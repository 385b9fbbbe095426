//! Synthesis: a [`Document`] and a [`Voice`] → PCM audio, phrase by phrase.
//!
//! The stream is an iterator so that callers can stop between phrases (cancellation) and send
//! each phrase as soon as it is ready (streaming). Per syllable:
//! - [`prosody`]: target duration and pitch scaling from tone, coda, position and rate;
//! - [`units`]: the voice's initial and final unit, and the final's tail anticipating the
//!   next syllable's onset in the phrase (spliced onto the final);
//! - [`join`]: the two joined pitch-synchronously inside the nucleus;
//! - [`psola`]: TD-PSOLA to the target duration and pitch contour;
//!
//! then syllables are overlap-added with short cross-fades; above normal rate the phrase is
//! sped up as a whole ([`tempo`], WSOLA); it is scaled by the volume, soft-limited to i16, and
//! the phrase's pause appended.

pub mod join;
pub mod prosody;
pub mod psola;
pub mod tempo;
pub mod units;

use std::collections::VecDeque;
use std::sync::Arc;

use crate::text::{Document, Phrase, Prosody, Span, Syllable};
use crate::voice::{Place, Unit, UnitKey, Voice};

use join::Joined;
use prosody::Position;
use psola::{Limits, Source, TimeMap};

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
    /// These parameters under a phrase's relative [`Prosody`] (SSML `<prosody>`), kept
    /// inside the ranges the engine supports.
    pub fn under(self, prosody: Prosody) -> Params {
        if prosody.is_neutral() {
            return self;
        }
        Params {
            rate: (self.rate * prosody.rate).clamp(0.5, 4.0),
            pitch: (self.pitch + prosody.pitch).clamp(-12.0, 12.0),
            volume: (self.volume * prosody.volume).clamp(0.0, 2.0),
        }
    }

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

/// A syllable the voice cannot speak.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    #[error("voice `{voice}` has no unit {key:?} for the syllable {syllable}")]
    MissingUnit {
        voice: String,
        syllable: Syllable,
        key: UnitKey,
    },
}

/// Checks that `voice` has every unit `doc` needs, before any audio is produced.
///
/// # Errors
/// The first [`SynthError::MissingUnit`].
pub fn check(voice: &Voice, doc: &Document) -> Result<(), SynthError> {
    doc.phrases()
        .flat_map(|p| p.tokens.iter())
        .flat_map(|t| t.syllables.iter())
        .try_for_each(|syl| units::lookup(voice, syl, None).map(|_| ()))
}

/// One phrase to render, with where it stands in its sentence.
struct Job {
    phrase: Phrase,
    /// Index in the sentence of the phrase's first syllable.
    first: usize,
    /// Syllables in the sentence.
    count: usize,
    /// The sentence's first phrase starts with [`prosody::SENTENCE_ONSET`] of silence.
    sentence_initial: bool,
    sentence_final: bool,
}

/// Synthesizes a document phrase by phrase.
pub struct PhraseStream {
    voice: Arc<Voice>,
    jobs: VecDeque<Job>,
    params: Params,
    engine: Engine,
}

/// Starts synthesizing `doc` with `voice`; nothing is computed until the first `next()`.
pub fn stream(voice: Arc<Voice>, doc: Document, params: Params) -> PhraseStream {
    let mut jobs = VecDeque::new();
    for sentence in doc.sentences {
        let count: usize = sentence
            .phrases
            .iter()
            .flat_map(|p| p.tokens.iter())
            .map(|t| t.syllables.len())
            .sum();
        let last = sentence.phrases.len().saturating_sub(1);
        let mut first = 0;
        for (i, phrase) in sentence.phrases.into_iter().enumerate() {
            let n: usize = phrase.tokens.iter().map(|t| t.syllables.len()).sum();
            jobs.push_back(Job {
                phrase,
                first,
                count,
                sentence_initial: i == 0,
                sentence_final: i == last,
            });
            first += n;
        }
    }
    PhraseStream {
        voice,
        jobs,
        params,
        engine: Engine::default(),
    }
}

impl Iterator for PhraseStream {
    type Item = PhraseAudio;

    fn next(&mut self) -> Option<PhraseAudio> {
        let job = self.jobs.pop_front()?;
        Some(self.engine.render(&self.voice, &job, &self.params))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.jobs.len(), Some(self.jobs.len()))
    }
}

/// Scratch buffers reused from phrase to phrase, so the hot path does not allocate once warm.
#[derive(Default)]
struct Engine {
    joined: Joined,
    /// A final unit with a tail spliced on (its buffers reused from syllable to syllable).
    spliced: Option<Unit>,
    syllable: Vec<f32>,
    phrase: Vec<f32>,
    /// The phrase sped up, above normal rate.
    fast: Vec<f32>,
    warned_missing: bool,
}

/// The silence spoken for a syllable the voice lacks, at rate 1 (seconds).
const MISSING_SYLLABLE: f32 = 0.25;

/// Cross-fade between consecutive syllables (seconds).
const SYLLABLE_OVERLAP: f32 = 0.003;

/// Up to normal rate, how far (as a ratio) the previous syllable's ending pitch may pull the
/// next one's onset away from its own tone's start: the onset glides from half-way between
/// the two, the previous end first brought within this ratio of the start. Larger jumps
/// carried over whole were heard as tones of their own (a level tone after a low ending as
/// rising, nặng after a high ending as dipping). Faster, the whole jump is carried over, as
/// tones coalesce more in fast speech: capped there, viet-asr lost 0.03 at 2×.
const CARRYOVER_RANGE: f32 = 0.05;

/// Up to normal rate, how much higher (as a ratio) voicing starts after a voiceless onset
/// (p, t, th, c, ch, tr, kh, ph, s, x, h) than the glide into the tone would otherwise begin;
/// the glide brings it back to the tone's start by the end of the consonant-to-vowel
/// transition, as in natural speech, where the vocal folds, apart or stiff through such a
/// consonant, start vibrating fast. Without it whisper misheard the low tones after a sắc
/// far more often behind a voiceless onset (nặng 20 of 63 times) than behind a voiced one (0
/// of 34). Above normal rate it measured level and is left out (voice NOTES.md, 2026-12-07).
const VOICELESS_ONSET_RAISE: f32 = 0.08;

impl Engine {
    fn render(&mut self, voice: &Voice, job: &Job, params: &Params) -> PhraseAudio {
        let params = &params.under(job.phrase.prosody);
        let sr = voice.info.sample_rate as f32;
        let overlap = (sr * SYLLABLE_OVERLAP) as usize;
        let total: usize = job.phrase.tokens.iter().map(|t| t.syllables.len()).sum();
        self.phrase.clear();
        // A sentence starts after a short silence (taken from the previous sentence's pause),
        // so its first syllable never starts on the first sample of a stream: both
        // recognizers misheard whole sentences that did (see `prosody::SENTENCE_ONSET`).
        let lead = if job.sentence_initial {
            (prosody::SENTENCE_ONSET * sr) as usize
        } else {
            0
        };
        self.phrase.resize(lead, 0.0);
        let mut cursor = lead;
        let mut n = 0usize;
        let mut prev_end_hz: Option<f32> = None;
        let mut words = Vec::with_capacity(job.phrase.tokens.len());
        let tokens = &job.phrase.tokens;
        for (ti, token) in tokens.iter().enumerate() {
            let mut start = None;
            for (si, syl) in token.syllables.iter().enumerate() {
                // The next syllable's onset in this phrase: what the rhyme's end anticipates.
                let next = token.syllables[si + 1..]
                    .iter()
                    .chain(tokens[ti + 1..].iter().flat_map(|t| t.syllables.iter()))
                    .next()
                    .and_then(|n| Place::of(n.onset));
                let last = n + 1 == total;
                let pos = Position {
                    index: job.first + n,
                    count: job.count,
                    phrase_final: last && job.phrase.pause != crate::text::Pause::None,
                    sentence_final: last && job.sentence_final,
                };
                let at = if n == 0 {
                    cursor
                } else {
                    cursor.saturating_sub(overlap)
                };
                n += 1;
                start.get_or_insert(at);
                let len = self.syllable(voice, syl, next, pos, params, &mut prev_end_hz);
                let end = at + len;
                if self.phrase.len() < end {
                    self.phrase.resize(end, 0.0);
                }
                fade_edges(&mut self.syllable[..len], overlap);
                for (o, s) in self.phrase[at..end].iter_mut().zip(&self.syllable[..len]) {
                    *o += *s;
                }
                cursor = end;
            }
            let start = start.unwrap_or(cursor);
            words.push(WordTiming {
                span: token.span,
                start,
                end: cursor.max(start),
            });
        }
        // Above normal rate the phrase, rendered at natural durations, is sped up as a whole,
        // its sentence-onset silence aside; word timings scale with it.
        let tempo = prosody::tempo(params.rate);
        let speech: &[f32] = if tempo > 1.0 && cursor > lead {
            self.fast.clear();
            self.fast.extend_from_slice(&self.phrase[..lead]);
            tempo::compress_into(
                &self.phrase[lead..cursor],
                tempo,
                voice.info.sample_rate,
                &mut self.fast,
            );
            let ratio = (self.fast.len() - lead) as f64 / (cursor - lead) as f64;
            let at = |t: usize| lead + ((t.saturating_sub(lead)) as f64 * ratio).round() as usize;
            for w in &mut words {
                (w.start, w.end) = (at(w.start), at(w.end));
            }
            cursor = self.fast.len();
            &self.fast
        } else {
            &self.phrase[..cursor]
        };
        let pause = (prosody::pause(job.phrase.pause, params.rate) * sr) as usize;
        let mut samples = Vec::with_capacity(cursor + pause);
        let gain = params.volume.clamp(0.0, 2.0);
        samples.extend(speech.iter().map(|&x| soft_limit(x * gain)));
        samples.resize(cursor + pause, 0);
        PhraseAudio {
            span: job.phrase.span,
            samples,
            words,
        }
    }

    /// Renders one syllable, followed in its phrase by an onset at `next`, into
    /// `self.syllable`, returning its length in samples.
    fn syllable(
        &mut self,
        voice: &Voice,
        syl: &Syllable,
        next: Option<Place>,
        pos: Position,
        params: &Params,
        prev_end_hz: &mut Option<f32>,
    ) -> usize {
        let sr = voice.info.sample_rate as f32;
        let limits = Limits::for_rate(voice.info.sample_rate);
        let pr = prosody::syllable(pos, params);
        let units = match units::lookup(voice, syl, next) {
            Ok(u) => u,
            Err(e) => {
                if !self.warned_missing {
                    tracing::warn!(error = %e, "speaking silence for syllables the voice lacks");
                    self.warned_missing = true;
                }
                let len = (MISSING_SYLLABLE * sr / pr.rate) as usize;
                self.syllable.clear();
                self.syllable.resize(len, 0.0);
                *prev_end_hz = None;
                return len;
            }
        };
        let last = match units.tail {
            Some(tail) => {
                let out = self.spliced.get_or_insert_with(|| units.last.clone());
                units.last.splice_into(tail, out);
                &*out
            }
            None => units.last,
        };
        let layout = join::join_into(
            units.initial,
            last,
            limits.max_period,
            (sr * 0.01) as usize,
            &mut self.joined,
        );
        let closure = layout.closure_end as f32;
        let cons = (layout.consonant_end - layout.closure_end) as f32;
        let vowel_i = (layout.join - layout.consonant_end) as f32;
        let vowel_f = (layout.vowel_end - layout.join) as f32;
        let coda = (layout.len - layout.vowel_end) as f32;
        // The natural duration: the units' own (the cross-fade keeps both units' steady
        // vowels overlapping, so the vowel is about as long as the voice model says it), the
        // rhyme lengthened before a pause; then, below normal rate, the rate, consonants
        // lengthened less than vowels. (Faster rates render at natural length: the phrase is
        // sped up as a whole afterwards. Compressing the vowel by the cross-fade's length
        // measured worse: PSOLA takes it from the consonant-to-vowel transition.)
        let vowel_nat = vowel_i + vowel_f * pr.rhyme_stretch;
        let coda_nat = coda * pr.rhyme_stretch;
        let target = (closure + cons + vowel_nat + coda_nat) / pr.rate;
        let closure_out = closure / pr.rate;
        let (cons_out, coda_out) = (cons * pr.consonant_stretch, coda_nat * pr.consonant_stretch);
        let vowel_out = target - closure_out - cons_out - coda_out;
        let (vi_out, vf_out) = split_vowel(vowel_i, vowel_f, vowel_out);
        let map = TimeMap::from_segments(&[
            (closure_out, closure),
            (cons_out, cons),
            (vi_out, vowel_i),
            (vf_out, vowel_f),
            (coda_out, coda),
        ]);
        let len = map.output_len().ceil() as usize;
        self.syllable.clear();
        self.syllable.resize(len, 0.0);

        // Pitch: the final unit keeps its tone contour, scaled; the initial unit's vowel
        // (at the reference F0) ramps from near the previous syllable's end to the final
        // unit's start, so tone-to-tone transitions are smooth ([`CARRYOVER_RANGE`]), from
        // higher after a voiceless onset ([`VOICELESS_ONSET_RAISE`]).
        let ref_period = sr / voice.reference_f0.max(1.0);
        let f_start_hz = sr / layout.final_start_period.unwrap_or(ref_period);
        let start_hz = f_start_hz * pr.pitch_start;
        let begin_hz = prev_end_hz.map_or(start_hz, |p| {
            let near = if params.rate > 1.0 {
                p
            } else {
                let (low, high) = (1.0 / (1.0 + CARRYOVER_RANGE), 1.0 + CARRYOVER_RANGE);
                p.clamp(start_hz * low, start_hz * high)
            };
            0.5 * (near + start_hz)
        });
        let begin_hz = if syl.onset.is_voiceless() && params.rate <= 1.0 {
            begin_hz * (1.0 + VOICELESS_ONSET_RAISE)
        } else {
            begin_hz
        };
        let (join_at, cons_end) = (layout.join as f32, layout.consonant_end as f32);
        let out_len = len.max(1) as f32;
        let (p0, p1) = (pr.pitch_start, pr.pitch_end);
        let target_period = |t: f32, s: f32, src_period: f32| {
            let scale = p0 + (p1 - p0) * (t / out_len).clamp(0.0, 1.0);
            if s < join_at {
                let x = if join_at > cons_end {
                    ((s - cons_end) / (join_at - cons_end)).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                let hz = begin_hz + (f_start_hz * scale - begin_hz) * x;
                sr / hz.max(1.0)
            } else {
                src_period / scale
            }
        };
        let source = Source {
            samples: &self.joined.samples,
            marks: &self.joined.marks,
        };
        psola::overlap_add_into(source, &map, limits, target_period, &mut self.syllable);
        *prev_end_hz = layout.final_end_period.map(|p| sr / p * pr.pitch_end);
        len
    }
}

/// Shares `out` samples of vowel (at least the natural `vi + vf`, less rounding) between the
/// initial unit's part (`vi` samples: the consonant-to-vowel transition at the reference
/// pitch) and the final unit's part (`vf`: the tone's contour). Stretching goes to the final
/// part, so the tone contour keeps most of the vowel's time and the transitions that
/// identify the consonant keep theirs.
fn split_vowel(vi: f32, vf: f32, out: f32) -> (f32, f32) {
    if vi + vf <= 0.0 {
        return (0.0, out.max(0.0));
    }
    if vf <= 0.0 {
        return (out, 0.0);
    }
    let vi_out = vi.min(out.max(0.0));
    (vi_out, (out - vi_out).max(0.0))
}

/// Raised-cosine fade-in and fade-out over `n` samples at each end.
fn fade_edges(x: &mut [f32], n: usize) {
    let n = n.min(x.len() / 2);
    let len = x.len();
    for i in 0..n {
        let w = 0.5 - 0.5 * (std::f32::consts::PI * (i as f32 + 0.5) / n as f32).cos();
        x[i] *= w;
        x[len - 1 - i] *= w;
    }
}

/// Float sample (i16 scale) → i16, linear up to 90% of full scale, then a tanh knee, so
/// loud peaks are compressed instead of clipped. NaN becomes silence.
fn soft_limit(x: f32) -> i16 {
    const FULL: f32 = 32767.0;
    const KNEE: f32 = 0.9 * FULL;
    if x.is_nan() {
        return 0;
    }
    let a = x.abs();
    let y = if a <= KNEE {
        a
    } else {
        KNEE + (FULL - KNEE) * ((a - KNEE) / (FULL - KNEE)).tanh()
    };
    // Round half away from zero without a libm call (hot path: once per output sample).
    (y.min(FULL) + 0.5).copysign(x) as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_limit_never_clips_and_is_linear_below_the_knee() {
        assert_eq!(soft_limit(1000.4), 1000);
        assert_eq!(soft_limit(-1000.4), -1000);
        assert_eq!(soft_limit(f32::NAN), 0);
        assert_eq!(soft_limit(1e9), 32767);
        assert_eq!(soft_limit(-1e9), -32767);
        assert!(soft_limit(40000.0) > soft_limit(31000.0));
        assert!(soft_limit(31000.0) < 32767);
    }

    #[test]
    fn vowel_stretching_leaves_the_transition_alone() {
        // 80 ms transition + 120 ms tone part stretched to 400 ms.
        assert_eq!(split_vowel(1280.0, 1920.0, 6400.0), (1280.0, 5120.0));
        assert_eq!(split_vowel(1280.0, 1920.0, 3200.0), (1280.0, 1920.0));
        assert_eq!(split_vowel(0.0, 0.0, 100.0), (0.0, 100.0));
        assert_eq!(split_vowel(50.0, 0.0, 100.0), (100.0, 0.0));
    }

    #[test]
    fn params_are_range_checked() {
        assert!(Params::new(3.0, 0.0, 1.0).is_ok());
        assert_eq!(Params::new(0.4, 0.0, 1.0), Err(ParamError::Rate(0.4)));
        assert!(Params::new(f32::NAN, 0.0, 1.0).is_err());
        assert!(Params::new(1.0, 13.0, 1.0).is_err());
        assert!(Params::new(1.0, 0.0, 2.5).is_err());
    }
}
