//! TD-PSOLA (Moulines & Charpentier 1990): pitch and duration modification of a source signal
//! with pitch marks.
//!
//! Input: a [`Source`] (samples and glottal-closure marks), a [`TimeMap`] from output time to
//! source time, and a target period for each output instant. Output: samples added into a
//! caller-owned buffer. Voiced stretches are re-synthesized from Hann-windowed two-period
//! grains centred on the marks, placed one per *target* period; unvoiced stretches (no marks)
//! are time-scaled by overlap-adding fixed Hann grains at a fixed hop.

use std::sync::OnceLock;

/// A signal to re-synthesize: samples and the strictly increasing glottal-closure marks of its
/// voiced stretches.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub samples: &'a [f32],
    pub marks: &'a [u32],
}

/// A monotone piecewise-linear map from output sample positions to source positions, given
/// by knots `(output, source)`; both coordinates non-decreasing, starting at `(0, 0)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeMap {
    knots: Vec<(f32, f32)>,
}

impl TimeMap {
    /// Segments of `(output length, source length)` laid end to end from `(0, 0)`.
    pub fn from_segments(segments: &[(f32, f32)]) -> Self {
        let mut knots = Vec::with_capacity(segments.len() + 1);
        let (mut o, mut s) = (0.0f32, 0.0f32);
        knots.push((0.0, 0.0));
        for &(out_len, src_len) in segments {
            o += out_len.max(0.0);
            s += src_len.max(0.0);
            knots.push((o, s));
        }
        TimeMap { knots }
    }

    /// The total output length.
    pub fn output_len(&self) -> f32 {
        self.knots.last().map_or(0.0, |k| k.0)
    }

    /// The source position heard at output position `t`.
    pub fn source_at(&self, t: f32) -> f32 {
        let i = self.knots.partition_point(|k| k.0 <= t);
        if i == 0 {
            return self.knots.first().map_or(0.0, |k| k.1);
        }
        if i >= self.knots.len() {
            return self.knots.last().map_or(0.0, |k| k.1);
        }
        let (o0, s0) = self.knots[i - 1];
        let (o1, s1) = self.knots[i];
        if o1 <= o0 {
            return s1;
        }
        s0 + (s1 - s0) * (t - o0) / (o1 - o0)
    }
}

const TABLE: usize = 1024;
/// The table is stored twice as long as used so that an index masked with `MASK` is provably
/// in bounds (no bounds check in the grain loops).
const STORED: usize = 2 * TABLE;
const MASK: usize = STORED - 1;
/// Fixed-point fraction bits of the window index.
const FRAC: u32 = 16;

/// The rising half of a Hann window: `TABLE + 1` points over [0, 1], then padding.
fn rise() -> &'static [f32; STORED] {
    static RISE: OnceLock<[f32; STORED]> = OnceLock::new();
    RISE.get_or_init(|| {
        let mut t = [1.0; STORED];
        for (i, v) in t.iter_mut().enumerate().take(TABLE + 1) {
            *v = 0.5 - 0.5 * (std::f32::consts::PI * i as f32 / TABLE as f32).cos();
        }
        t
    })
}

/// Limits of the analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The longest gap between two marks still read as one pitch period (samples).
    pub max_period: u32,
    /// Half-width (and hop) of the grains of unvoiced stretches (samples).
    pub unvoiced_hop: u32,
}

impl Limits {
    /// Periods up to 1/45 s (F0 ≥ 45 Hz); unvoiced grains of 4 ms.
    pub fn for_rate(sample_rate: u32) -> Self {
        Limits {
            max_period: sample_rate / 45,
            unvoiced_hop: (sample_rate / 250).max(8),
        }
    }
}

/// Re-synthesizes `src` along `map`, adding into `out[..]` from index 0. `target_period(t, s,
/// source_period)` gives the wanted period (samples) at output position `t`, source position
/// `s`, in a voiced stretch whose source period there is `source_period`. Grains reaching past either end of
/// `out` are cut. Returns the number of grains placed.
pub fn overlap_add_into(
    src: Source<'_>,
    map: &TimeMap,
    limits: Limits,
    mut target_period: impl FnMut(f32, f32, f32) -> f32,
    out: &mut [f32],
) -> usize {
    let out_len = map.output_len().min(out.len() as f32);
    let rise = rise();
    let mut grains = 0;
    let mut t = 0.0f32;
    let hop = limits.unvoiced_hop.max(1) as f32;
    while t < out_len {
        let s = map.source_at(t);
        let centre_out = t.round() as isize;
        match voiced_grain(src, s, limits.max_period) {
            Some(g) => {
                let period = 0.5 * (g.left + g.right) as f32;
                let want = target_period(t, s, period);
                // A degenerate target (NaN, zero) must not stall the loop.
                let step = if want.is_finite() {
                    want.clamp(period * 0.25, period * 4.0).max(1.0)
                } else {
                    period
                };
                add_grain(
                    src.samples,
                    g.mark as isize,
                    g.left,
                    g.right,
                    centre_out,
                    rise,
                    out,
                );
                t += step;
            }
            None => {
                let h = hop as usize;
                add_grain(src.samples, s.round() as isize, h, h, centre_out, rise, out);
                t += hop;
            }
        }
        grains += 1;
    }
    grains
}

struct Grain {
    mark: u32,
    left: usize,
    right: usize,
}

/// The grain of the mark nearest to source position `s`, if `s` lies in a voiced stretch.
fn voiced_grain(src: Source<'_>, s: f32, max_period: u32) -> Option<Grain> {
    let marks = src.marks;
    if marks.is_empty() {
        return None;
    }
    let i = marks.partition_point(|&m| (m as f32) < s);
    let k = if i == 0 {
        0
    } else if i >= marks.len() {
        marks.len() - 1
    } else if (marks[i] as f32 - s) < (s - marks[i - 1] as f32) {
        i
    } else {
        i - 1
    };
    let gap = |a: u32, b: u32| {
        let g = b.saturating_sub(a);
        (g > 0 && g <= max_period).then_some(g as usize)
    };
    let before = (k > 0).then(|| gap(marks[k - 1], marks[k])).flatten();
    let after = marks.get(k + 1).and_then(|&n| gap(marks[k], n));
    let (left, right) = match (before, after) {
        (Some(l), Some(r)) => (l, r),
        (Some(l), None) => (l, l),
        (None, Some(r)) => (r, r),
        (None, None) => return None,
    };
    // Past the last mark or before the first by more than a period: not voiced.
    let d = s - marks[k] as f32;
    if d > right as f32 || -d > left as f32 {
        return None;
    }
    Some(Grain {
        mark: marks[k],
        left,
        right,
    })
}

/// Adds `samples[centre - left .. centre + right]`, Hann-windowed, at `out[at - left ..]`.
fn add_grain(
    samples: &[f32],
    centre: isize,
    left: usize,
    right: usize,
    at: isize,
    rise: &[f32; STORED],
    out: &mut [f32],
) {
    let (n_src, n_out) = (samples.len() as isize, out.len() as isize);
    // Offsets d (relative to the centre) in lo..hi exist in both the source and the output.
    let lo = (-(left as isize)).max(-centre).max(-at);
    let hi = (right as isize).min(n_src - centre).min(n_out - at);
    if lo >= hi {
        return;
    }
    let src = &samples[(centre + lo) as usize..(centre + hi) as usize];
    let dst = &mut out[(at + lo) as usize..(at + hi) as usize];
    let split = (-lo).clamp(0, hi - lo) as usize;
    let (src_l, src_r) = src.split_at(split);
    let (dst_l, dst_r) = dst.split_at_mut(split);
    // Left half: the window rises from offset -left to 0; fixed-point table steps.
    let step_l = ((TABLE as u64) << FRAC) / left.max(1) as u64;
    let mut idx = (left as isize + lo) as u64 * step_l;
    for (o, s) in dst_l.iter_mut().zip(src_l) {
        *o += s * rise[(idx >> FRAC) as usize & MASK];
        idx += step_l;
    }
    // Right half: the window falls from 1 at offset 0 to 0 at offset `right`.
    let step_r = ((TABLE as u64) << FRAC) / right.max(1) as u64;
    let first = lo.max(0) as u64;
    let mut idx = (right as u64).saturating_sub(first) * step_r;
    for (o, s) in dst_r.iter_mut().zip(src_r) {
        *o += s * rise[(idx >> FRAC) as usize & MASK];
        idx = idx.saturating_sub(step_r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A periodic pulse-like signal of `period` samples with a mark at each period start.
    fn voiced(period: usize, periods: usize) -> (Vec<f32>, Vec<u32>) {
        let n = period * periods;
        let samples = (0..n)
            .map(|i| {
                let ph = 2.0 * std::f32::consts::PI * (i % period) as f32 / period as f32;
                ph.sin() + 0.5 * (2.0 * ph).sin()
            })
            .collect();
        let marks = (0..periods as u32).map(|p| p * period as u32).collect();
        (samples, marks)
    }

    /// Autocorrelation period estimate over the middle of `x`.
    fn period_of(x: &[f32], lo: usize, hi: usize) -> usize {
        let mid = &x[x.len() / 4..3 * x.len() / 4];
        (lo..=hi)
            .max_by(|&a, &b| {
                let c = |lag: usize| -> f32 {
                    mid.iter().zip(&mid[lag..]).map(|(p, q)| p * q).sum::<f32>()
                        / (mid.len() - lag) as f32
                };
                c(a).total_cmp(&c(b))
            })
            .unwrap()
    }

    #[test]
    fn changes_pitch_without_changing_duration() {
        let (s, m) = voiced(100, 40);
        let map = TimeMap::from_segments(&[(4000.0, 4000.0)]);
        let mut out = vec![0.0; 4000];
        let lim = Limits::for_rate(16_000);
        overlap_add_into(
            Source {
                samples: &s,
                marks: &m,
            },
            &map,
            lim,
            |_, _, p| p * 0.8,
            &mut out,
        );
        assert_eq!(period_of(&out, 50, 150), 80);
        let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
        let ratio = rms(&out[500..3500]) / rms(&s[500..3500]);
        assert!((0.8..1.5).contains(&ratio), "energy ratio {ratio}");
    }

    #[test]
    fn changes_duration_without_changing_pitch() {
        let (s, m) = voiced(90, 40);
        let map = TimeMap::from_segments(&[(9000.0, 3600.0)]);
        let mut out = vec![0.0; 9000];
        let lim = Limits::for_rate(16_000);
        overlap_add_into(
            Source {
                samples: &s,
                marks: &m,
            },
            &map,
            lim,
            |_, _, p| p,
            &mut out,
        );
        assert_eq!(period_of(&out, 50, 150), 90);
        assert!(out[8000..8800].iter().any(|v| v.abs() > 0.3));
    }

    #[test]
    fn unvoiced_is_time_scaled_at_constant_gain() {
        // A deterministic noise, no marks.
        let mut x = 12345u32;
        let s: Vec<f32> = (0..4000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as f32 / 32768.0 - 1.0
            })
            .collect();
        let map = TimeMap::from_segments(&[(2000.0, 4000.0)]);
        let mut out = vec![0.0; 2000];
        overlap_add_into(
            Source {
                samples: &s,
                marks: &[],
            },
            &map,
            Limits::for_rate(16_000),
            |_, _, p| p,
            &mut out,
        );
        let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
        let ratio = rms(&out[200..1800]) / rms(&s);
        assert!((0.6..1.2).contains(&ratio), "{ratio}");
    }

    #[test]
    fn time_map_interpolates_and_clamps() {
        let map = TimeMap::from_segments(&[(10.0, 20.0), (10.0, 5.0)]);
        assert_eq!(map.output_len(), 20.0);
        assert_eq!(map.source_at(5.0), 10.0);
        assert_eq!(map.source_at(15.0), 22.5);
        assert_eq!(map.source_at(-1.0), 0.0);
        assert_eq!(map.source_at(99.0), 25.0);
    }

    #[test]
    fn degenerate_inputs_terminate() {
        let (s, m) = voiced(100, 5);
        let map = TimeMap::from_segments(&[(1000.0, 500.0)]);
        let mut out = vec![0.0; 1000];
        let lim = Limits::for_rate(16_000);
        let n = overlap_add_into(
            Source {
                samples: &s,
                marks: &m,
            },
            &map,
            lim,
            |_, _, _| f32::NAN,
            &mut out,
        );
        assert!(n < 100);
        let n = overlap_add_into(
            Source {
                samples: &[],
                marks: &[],
            },
            &map,
            lim,
            |_, _, p| p,
            &mut out,
        );
        assert!(n < 1000);
        assert!(out.iter().all(|v| v.is_finite()));
    }
}
