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
    /// The rate the syllable is rendered at: the whole syllable lasts its (stretched) natural
    /// length ÷ this. The listener's rate up to 1; faster rates render at natural length and
    /// the phrase is then sped up as a whole ([`tempo`]).
    pub rate: f32,
    /// The factor applied to the natural length of the audible part of consonants (an
    /// onset's release, frication, murmur or aspiration, and the coda) at slow rates: a
    /// silent closure is divided by the rate like the whole syllable, and vowels take the
    /// rest of the duration, so slow speech lengthens vowels more than consonants.
    pub consonant_stretch: f32,
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
/// and, below normal rate, divided by the rate.
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
    let render_rate = rate.min(1.0);
    SyllableProsody {
        rhyme_stretch,
        rate: render_rate,
        consonant_stretch: render_rate.powf(-0.4),
        pitch_start,
        pitch_end,
    }
}

/// How many times faster than natural a phrase at `rate` is sped up ([`super::tempo`]; pauses
/// aside): 1 up to normal rate; `rate`^0.83 up to 2× (1.78 at 2×), in proportion to the rate
/// beyond (2.67 at 3×, 3.56 at 4×). With these the seed article lasts as long at 2× and 3×
/// as when the engine compressed each unit by itself (91.0 and 61.6 s against 91.1 and
/// 61.2 s), so rates keep their meaning.
pub fn tempo(rate: f32) -> f32 {
    let rate = rate.clamp(0.5, 4.0);
    if rate <= 1.0 {
        1.0
    } else if rate <= 2.0 {
        rate.powf(0.83)
    } else {
        2f32.powf(0.83) * rate / 2.0
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
    fn fast_rates_render_natural_lengths_and_speed_the_phrase_up() {
        let fast = Params::new(3.0, 0.0, 1.0).unwrap();
        let f = syllable(MID, &fast);
        assert_eq!((f.rate, f.consonant_stretch), (1.0, 1.0));
        // Slow speech lengthens vowels more than consonants.
        let slow = syllable(MID, &Params::new(0.5, 0.0, 1.0).unwrap());
        assert_eq!(slow.rate, 0.5);
        assert!(slow.consonant_stretch > 1.0 && slow.consonant_stretch < 2.0);
        // The phrase's tempo grows steadily with the rate, with no jump at 2×.
        assert_eq!((tempo(0.5), tempo(1.0)), (1.0, 1.0));
        let rates = [1.0, 1.5, 1.99, 2.0, 2.01, 3.0, 4.0];
        assert!(rates.windows(2).all(|w| tempo(w[1]) > tempo(w[0])));
        assert!((tempo(1.99) - tempo(2.01)).abs() < 0.02);
        assert!((tempo(2.0) - 1.78).abs() < 0.01 && (tempo(4.0) - 3.56).abs() < 0.01);
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
