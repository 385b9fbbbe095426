//! Joins: an initial unit and a final unit → one continuous syllable source for PSOLA.
//!
//! Input: the syllable's two [`Unit`]s. Output: their samples and pitch marks joined inside
//! the nucleus (into a caller-owned [`Joined`]) and the [`Layout`] of the result. The join is
//! pitch-synchronous: the final unit starts on a glottal closure in the nucleus's steady
//! state; it is aligned with a closure in the initial unit's steady tail that leaves at least
//! two of the final unit's periods, and the two are cross-faded from there to the initial
//! unit's end. So there is no click, no phase jump and no energy step, and the two steady
//! states overlap instead of lengthening the vowel. The pitch difference (initial units are
//! voiced at the voice's reference F0) is removed afterwards by PSOLA, which ramps the initial
//! part to the final unit's starting pitch.

use crate::voice::Unit;

/// A joined syllable source (reused between syllables: no allocation once warm).
#[derive(Debug, Clone, Default)]
pub struct Joined {
    pub samples: Vec<f32>,
    pub marks: Vec<u32>,
}

/// Where the parts of a joined syllable lie, in samples of [`Joined::samples`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// End of the onset's silent closure (the hold of a stop or a glottal stop): the first
    /// audible sample. 0 for onsets that sound from their start.
    pub closure_end: usize,
    /// End of the onset consonant (start of the vowel).
    pub consonant_end: usize,
    /// Where the final unit takes over (start of the cross-fade).
    pub join: usize,
    /// End of the cross-fade: from here on only the final unit sounds. The cross-fade is
    /// where both units' steady states overlap.
    pub fade_end: usize,
    /// End of the vowel (start of the coda).
    pub vowel_end: usize,
    pub len: usize,
    /// The final unit's pitch period at the join and at its last voiced period, if voiced.
    pub final_start_period: Option<f32>,
    pub final_end_period: Option<f32>,
}

/// The period (samples) at mark `k`, if the next mark follows within `max_period`.
fn period_at(marks: &[u32], k: usize, max_period: u32) -> Option<u32> {
    let (a, b) = (*marks.get(k)?, *marks.get(k + 1)?);
    let g = b.saturating_sub(a);
    (g > 0 && g <= max_period).then_some(g)
}

/// A closure is silent: no sample above this level (−50 dB full scale).
pub const SILENT: u16 = 100;

/// The first of `consonant`'s samples above [`SILENT`] (its length if none is).
fn audible_from(consonant: &[i16]) -> usize {
    consonant
        .iter()
        .position(|s| s.unsigned_abs() > SILENT)
        .unwrap_or(consonant.len())
}

/// Joins `initial` and `last` into `out`, returning the layout. `fallback_fade` is the
/// cross-fade length (samples) where the units carry no pitch marks to align.
pub fn join_into(
    initial: &Unit,
    last: &Unit,
    max_period: u32,
    fallback_fade: usize,
    out: &mut Joined,
) -> Layout {
    out.samples.clear();
    out.marks.clear();
    let (i_len, f_len) = (initial.samples.len(), last.samples.len());
    let i_boundary = (initial.boundary as usize).min(i_len);

    // The final unit's join mark: its first glottal closure (the builder starts final units
    // on one, after a warm-up), else its start.
    let f_marks = &last.pitch_marks;
    let k_f = (!f_marks.is_empty()).then_some(0);
    let j_f = k_f.map_or(0, |k| f_marks[k] as usize).min(f_len);
    // At least two of the final unit's periods of cross-fade.
    let min_fade = match k_f.and_then(|k| period_at(f_marks, k, max_period)) {
        Some(p) => 2 * p as usize,
        None => fallback_fade,
    }
    .min(f_len - j_f);

    // The initial unit's join mark: the last closure in its vowel that leaves that fade. The
    // fade then runs to the initial unit's end, so its steady tail and the final unit's steady
    // head overlap instead of following each other (a longer flat vowel costs intelligibility).
    let j_i = initial
        .pitch_marks
        .iter()
        .rev()
        .map(|&m| m as usize)
        .find(|&m| m >= i_boundary && m + min_fade <= i_len)
        .unwrap_or_else(|| i_len.saturating_sub(min_fade).max(i_boundary.min(i_len)));
    let fade = (i_len - j_i).min(f_len - j_f);

    out.samples.reserve(j_i + f_len - j_f);
    out.samples
        .extend(initial.samples[..j_i].iter().map(|&s| f32::from(s)));
    for k in 0..fade {
        // Raised-cosine weights: w rises from 0 to 1 across the fade.
        let w = 0.5 - 0.5 * (std::f32::consts::PI * (k as f32 + 0.5) / fade as f32).cos();
        let a = f32::from(initial.samples[j_i + k]);
        let b = f32::from(last.samples[j_f + k]);
        out.samples.push(a + (b - a) * w);
    }
    out.samples
        .extend(last.samples[j_f + fade..].iter().map(|&s| f32::from(s)));

    out.marks.extend(
        initial
            .pitch_marks
            .iter()
            .copied()
            .filter(|&m| (m as usize) < j_i),
    );
    let shift = j_i as i64 - j_f as i64;
    out.marks.extend(
        f_marks
            .iter()
            .filter(|&&m| m as usize >= j_f)
            .map(|&m| (i64::from(m) + shift) as u32),
    );

    let len = out.samples.len();
    let f_boundary = (last.boundary as usize).clamp(j_f, f_len);
    let final_end_period = (0..f_marks.len().saturating_sub(1))
        .rev()
        .find_map(|k| period_at(f_marks, k, max_period))
        .map(|p| p as f32);
    let consonant_end = i_boundary.min(j_i);
    Layout {
        closure_end: audible_from(&initial.samples[..consonant_end]),
        consonant_end,
        join: j_i,
        fade_end: (j_i + fade).min(len),
        vowel_end: (j_i + f_boundary - j_f).min(len),
        len,
        final_start_period: k_f
            .and_then(|k| period_at(f_marks, k, max_period))
            .map(|p| p as f32),
        final_end_period,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Coda, Nucleus, Onset, Tone};
    use crate::voice::UnitKey;

    fn periodic(key: UnitKey, lead: usize, period: usize, periods: usize, boundary: u32) -> Unit {
        let mut samples = vec![0i16; lead];
        let mut marks = Vec::new();
        for p in 0..periods {
            marks.push((lead + p * period) as u32);
            for i in 0..period {
                let ph = 2.0 * std::f32::consts::PI * i as f32 / period as f32;
                samples.push((8000.0 * ph.sin()) as i16);
            }
        }
        Unit {
            key,
            samples,
            pitch_marks: marks,
            boundary,
        }
    }

    /// A final unit "a": 20 periods of 125 samples from its first sample.
    fn final_a() -> Unit {
        let key = UnitKey::Final {
            nucleus: Nucleus::A,
            coda: Coda::None,
            tone: Tone::Ngang,
        };
        periodic(key, 0, 125, 20, 2500)
    }

    #[test]
    fn join_is_pitch_synchronous_and_continuous() {
        let i = periodic(
            UnitKey::Initial {
                onset: Onset::M,
                medial: false,
                nucleus: Nucleus::A,
            },
            300,
            133,
            10,
            300,
        );
        let f = final_a();
        let mut j = Joined::default();
        let layout = join_into(&i, &f, 400, 160, &mut j);
        assert_eq!(layout.consonant_end, 300);
        // The 300 silent samples before the vowel are all closure.
        assert_eq!(layout.closure_end, 300);
        assert_eq!(layout.len, j.samples.len());
        assert!(layout.join >= 300 && layout.join + 250 <= i.samples.len());
        assert_eq!(layout.final_start_period, Some(125.0));
        // The cross-fade runs to the initial unit's end: its steady tail is not repeated.
        assert_eq!(layout.fade_end, i.samples.len());
        assert!(layout.fade_end - layout.join >= 250);
        // Marks stay strictly increasing and one of them sits at the join.
        assert!(j.marks.windows(2).all(|w| w[0] < w[1]));
        assert!(j.marks.contains(&(layout.join as u32)));
        // No sample-to-sample jump larger than the units' own (sine of period 125: ~400).
        let max_jump = j.samples[300..]
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0f32, f32::max);
        assert!(max_jump < 500.0, "jump {max_jump}");
    }

    #[test]
    fn a_closure_ends_at_the_first_audible_sample() {
        let key = UnitKey::Initial {
            onset: Onset::T,
            medial: false,
            nucleus: Nucleus::A,
        };
        let mut i = periodic(key, 400, 133, 10, 400);
        // Closure: silence with a faint residue (−64 dB), then a burst at 250.
        for s in &mut i.samples[..250] {
            *s = 20;
        }
        i.samples[250] = -3000;
        let f = final_a();
        let mut j = Joined::default();
        assert_eq!(join_into(&i, &f, 400, 160, &mut j).closure_end, 250);
        // An onset that sounds from its first sample has no closure.
        i.samples[0] = 3000;
        assert_eq!(join_into(&i, &f, 400, 160, &mut j).closure_end, 0);
    }

    #[test]
    fn units_without_marks_still_join() {
        let key = UnitKey::Initial {
            onset: Onset::S,
            medial: false,
            nucleus: Nucleus::I,
        };
        let i = Unit {
            key,
            samples: vec![100; 50],
            pitch_marks: vec![],
            boundary: 50,
        };
        let f = Unit {
            key,
            samples: vec![-100; 30],
            pitch_marks: vec![],
            boundary: 0,
        };
        let mut j = Joined::default();
        let layout = join_into(&i, &f, 400, 160, &mut j);
        assert_eq!(layout.len, j.samples.len());
        assert!(layout.len >= 30 && layout.len <= 80);
        assert!(j.samples.iter().all(|s| s.is_finite()));
    }
}
