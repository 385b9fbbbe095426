//! Prosody: syllables in their sentence → duration factors, pitch scales and pauses.
//!
//! Input: a syllable's [`Position`] in the sentence and the listener's [`Params`]. Output: a
//! [`SyllableProsody`] (how to stretch the units' natural durations, how to scale the
//! consonants, how high), and pause lengths for [`Pause`]s. Pure arithmetic: the units keep the tones' own contours; prosody
//! only scales them (declination, phrase-final fall, the listener's pitch shift).

use crate::text::Pause;

use super::Params;

/// Where a syllable stands, for declination and final lengthening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Index of the syllable in its sentence.
    pub index: usize,
    /// Number of syllables in the sentence (≥ 1).
    pub count: usize,
    /// The last syllable before an audible pause.
    pub phrase_final: bool,
    /// The last syllable of the sentence.
    pub sentence_final: bool,
}

/// What the engine should make of one syllable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyllableProsody {
    /// The factor applied to the natural length of the syllable's rhyme (the final unit:
    /// vowel and coda) before the rate: pre-pausal lengthening. The units carry each tone's
    /// and coda's own durations (nặng and stop-final syllables short, huyền and hỏi long).
    pub rhyme_stretch: f32,
    /// The listener's rate: the whole syllable lasts its (stretched) natural length ÷ rate.
    pub rate: f32,
    /// The factor applied to the natural length of the audible part of consonants (an
    /// onset's release, frication, murmur or aspiration, and the coda). A silent closure is
    /// divided by the rate like the whole syllable, and vowels take the rest of the
    /// duration, so at fast rates they are compressed more than consonants.
    pub consonant_stretch: f32,
    /// The shortest the vowel may become (seconds): 60 ms at normal rate, 30 ms at 2×,
    /// 15 ms at 4×.
    pub min_vowel: f32,
    /// How much of each tone's pitch excursion is kept: the final unit's F0 ratio to the
    /// voice's reference F0 is raised to this power. 1 up to normal rate; faster speech
    /// narrows tones (0.75 at 2×, 0.63 at 3×, 0.56 at 4×), as fast speakers undershoot them.
    pub tone_range: f32,
    /// Pitch multiplier at the start and end of the syllable (declination, final fall and
    /// the listener's shift), applied to the units' own F0.
    pub pitch_start: f32,
    pub pitch_end: f32,
}

/// Pre-pausal lengthening of the rhyme.
const PHRASE_FINAL: f32 = 1.35;
/// Total fall of the pitch scale from the first to the last syllable of a sentence.
const DECLINATION: f32 = 0.10;
/// Declination is spread over at least this many syllables, so a short sentence does not
/// squeeze the whole fall into one or two syllables (it would flatten a rising tone).
const DECLINATION_MIN_SYLLABLES: usize = 8;
/// Extra fall over the last syllable of a sentence.
const FINAL_FALL: f32 = 0.04;

/// The duration and pitch scaling of `syllable` at `pos`. Syllables keep their units'
/// natural durations (the voice model's timing, which the recognizers measured best: a
/// vowel held 10 ms longer than the model's cost 0.05–0.08 SER), lengthened before a pause
/// and divided by the rate.
pub fn syllable(pos: Position, params: &Params) -> SyllableProsody {
    let rhyme_stretch = if pos.phrase_final { PHRASE_FINAL } else { 1.0 };
    let rate = params.rate.clamp(0.5, 4.0);
    let shift = 2f32.powf(params.pitch.clamp(-12.0, 12.0) / 12.0);
    let count = pos.count.max(DECLINATION_MIN_SYLLABLES) as f32;
    let at = |x: f32| 1.0 + DECLINATION / 2.0 - DECLINATION * (x / count);
    let pitch_start = at(pos.index as f32) * shift;
    let mut pitch_end = at(pos.index as f32 + 1.0) * shift;
    if pos.sentence_final {
        pitch_end *= 1.0 - FINAL_FALL;
    }
    SyllableProsody {
        rhyme_stretch,
        rate,
        // What identifies a consonant keeps more of its length than vowels and silences: at
        // 2× it is at 0.76; beyond 2× it shortens in proportion to the rate (0.51 at 3×,
        // 0.38 at 4×), so those rates stay about that fast. Against 0.57 at 2× with vowels
        // kept to 60 ms, the recognizer scored d00–d19 + news at 2× 0.755 → 0.727 (three
        // voice seeds, every one better) in slightly less time (NOTES.md, 2026-12-05).
        consonant_stretch: if rate <= 2.0 {
            rate.powf(-0.4)
        } else {
            2f32.powf(-0.4) * 2.0 / rate
        },
        min_vowel: (0.06 / rate).clamp(0.015, 0.06),
        // Measured at 2× with 0.75 against full tones: d00–d19 + news 0.727 → 0.716 (every
        // voice seed better), held-out 0.732 → 0.711, tone errors no more frequent.
        tone_range: if rate > 1.0 { rate.powf(-0.415) } else { 1.0 },
        pitch_start,
        pitch_end,
    }
}

/// The silence before a sentence's first syllable (seconds), taken from the pause after the
/// sentence before. With none, both recognizers misheard far more than the first syllable of
/// a clip (held-out viet-asr SER 0.599 → 0.528 with 50 ms); output devices that wake up on
/// the first sample (Bluetooth, HDMI) cut the start of a stream, too.
pub const SENTENCE_ONSET: f32 = 0.05;

/// The silence after a phrase, in seconds: shortened less than speech at fast rates and
/// never below 60 ms, so boundaries stay audible at 3×. After a sentence, less the next
/// sentence's [`SENTENCE_ONSET`]. An explicit pause (SSML `<break time>`) is exactly as long
/// as asked, whatever the rate.
pub fn pause(pause: Pause, rate: f32) -> f32 {
    let (base, onset) = match pause {
        Pause::None => return 0.0,
        Pause::Millis(ms) => return ms as f32 / 1000.0,
        Pause::Comma => (0.20, 0.0),
        Pause::Sentence => (0.38, SENTENCE_ONSET),
        Pause::Paragraph => (0.60, SENTENCE_ONSET),
    };
    (base * rate.clamp(0.5, 4.0).powf(-0.7) - onset).max(0.06)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MID: Position = Position {
        index: 2,
        count: 10,
        phrase_final: false,
        sentence_final: false,
    };

    #[test]
    fn rhymes_lengthen_before_a_pause_only() {
        let p = Params::default();
        assert_eq!(syllable(MID, &p).rhyme_stretch, 1.0);
        let final_pos = Position {
            phrase_final: true,
            ..MID
        };
        assert!(syllable(final_pos, &p).rhyme_stretch > 1.3);
    }

    #[test]
    fn rate_shortens_vowels_more_than_consonants() {
        let fast = Params::new(3.0, 0.0, 1.0).unwrap();
        let f = syllable(MID, &fast);
        assert_eq!(f.rate, 3.0);
        assert!(f.consonant_stretch > 1.0 / 3.0 && f.consonant_stretch < 1.0);
        assert_eq!(syllable(MID, &Params::default()).consonant_stretch, 1.0);
        // Tones keep their full range up to normal speed and narrow beyond it.
        assert_eq!(syllable(MID, &Params::default()).tone_range, 1.0);
        assert!((syllable(MID, &fast).tone_range - 0.63).abs() < 0.01);
        // Consonants shorten steadily with the rate, with no jump where the rule changes at 2×.
        let stretch = |r: f32| syllable(MID, &Params::new(r, 0.0, 1.0).unwrap()).consonant_stretch;
        let rates = [0.5, 1.0, 1.5, 1.99, 2.0, 2.01, 3.0, 4.0];
        assert!(rates.windows(2).all(|w| stretch(w[1]) < stretch(w[0])));
        assert!((stretch(1.99) - stretch(2.01)).abs() < 0.01);
        // The vowel's floor shrinks with the rate, so 4× stays about that fast.
        assert!(syllable(MID, &Params::new(4.0, 0.0, 1.0).unwrap()).min_vowel <= 0.015);
    }

    #[test]
    fn pitch_declines_across_the_sentence_and_falls_at_the_end() {
        let p = Params::default();
        let first = syllable(Position { index: 0, ..MID }, &p);
        let last = syllable(
            Position {
                index: 9,
                sentence_final: true,
                phrase_final: true,
                ..MID
            },
            &p,
        );
        assert!(first.pitch_start > last.pitch_start);
        let total = first.pitch_start / last.pitch_start;
        assert!((1.07..1.12).contains(&total), "{total}");
        assert!(last.pitch_end < last.pitch_start * 0.95);
        let up = syllable(MID, &Params::new(1.0, 12.0, 1.0).unwrap());
        let plain = syllable(MID, &p);
        assert!((up.pitch_start / plain.pitch_start - 2.0).abs() < 1e-4);
    }

    #[test]
    fn pauses_shrink_with_rate_but_stay_audible() {
        assert_eq!(pause(Pause::None, 1.0), 0.0);
        assert!(pause(Pause::Comma, 1.0) < pause(Pause::Sentence, 1.0));
        assert!(pause(Pause::Sentence, 1.0) < pause(Pause::Paragraph, 1.0));
        // At 3× a sentence pause is shortened less than the speech (×1/3).
        assert!(pause(Pause::Sentence, 3.0) > pause(Pause::Sentence, 1.0) / 3.0);
        assert!(pause(Pause::Comma, 4.0) >= 0.06);
    }
}
