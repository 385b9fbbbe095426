//! WSOLA (waveform-similarity overlap-add; Verhelst & Roelands 1993): a phrase spoken at its
//! natural durations → the same phrase faster, its pitch unchanged.
//!
//! Input: samples and a tempo factor above 1. Output: about `len / factor` samples built from
//! whole segments of the input, each [`SEGMENT`] long and taken near where the tempo puts it,
//! at the offset (within ± [`SEARCH`]) whose start best matches what naturally followed the
//! segment before, and cross-faded into it over [`OVERLAP`]. Within a segment the speech runs
//! at its own speed, so formant transitions, bursts and tone movements keep their shapes; the
//! time saved is taken between segments, mostly out of steady vowels and silences.
//!
//! Against compressing each unit by TD-PSOLA to the same durations, viet-asr at 2× scored
//! d00–d19 + news 0.727 → 0.673 and the held-out d20–d39 0.739 → 0.680 (three voice seeds;
//! `voices/northern/build/NOTES.md`, 2026-12-06 03:50).

/// Length of a segment copied whole (seconds).
pub const SEGMENT: f32 = 0.042;
/// Cross-fade between consecutive segments (seconds).
pub const OVERLAP: f32 = 0.017;
/// How far a segment may move from its nominal position to match its predecessor (seconds,
/// each way).
pub const SEARCH: f32 = 0.010;

/// Appends `input` played `factor` times faster to `out`. A factor at or below 1 (or an input
/// too short to cut) is copied unchanged. The output starts with the input's first segment
/// and ends with its last samples, so a phrase's fade-in and fade-out survive.
pub fn compress_into(input: &[f32], factor: f32, sample_rate: u32, out: &mut Vec<f32>) {
    let sr = sample_rate as f32;
    let n = ((SEGMENT * sr) as usize).max(2);
    let l = ((OVERLAP * sr) as usize).clamp(1, n - 1);
    let search = (SEARCH * sr) as usize;
    let hop = n - l;
    let factor = if factor.is_finite() { factor } else { 1.0 };
    if factor <= 1.0 || input.len() < 2 * n + search {
        out.extend_from_slice(input);
        return;
    }
    // Segments 0..=k_last start `hop` apart in the output; the first and the last are the
    // input's own ends, the ones between spread evenly over the input, so the output is
    // `len / factor` long to within half a hop and the search.
    let target = (input.len() as f32 / factor).round() as usize;
    let k_last = (target.saturating_sub(n) as f32 / hop as f32)
        .round()
        .max(1.0) as usize;
    let last = input.len() - n;
    out.extend_from_slice(&input[..n]);
    let mut prev = 0usize;
    let mut scratch = Search::default();
    for k in 1..=k_last {
        let nominal = (k as f64 * last as f64 / k_last as f64).round() as usize;
        // The input that naturally continued the previous segment: what the next one should
        // look like at its start.
        let natural = prev + hop;
        // The last segment runs to the input's end, from the best match within the search
        // before it.
        let (lo, hi) = if k == k_last {
            (last.saturating_sub(search), last)
        } else {
            (nominal.saturating_sub(search), (nominal + search).min(last))
        };
        let p = best_match(input, natural, l, lo, hi, &mut scratch);
        // The output's last `l` samples are the previous segment's end; fade them into the
        // chosen segment's start.
        let at = out.len() - l;
        for (i, (o, &x)) in out[at..].iter_mut().zip(&input[p..p + l]).enumerate() {
            let w = (i as f32 + 0.5) / l as f32;
            *o = *o * (1.0 - w) + x * w;
        }
        let end = if k == k_last { input.len() } else { p + n };
        out.extend_from_slice(&input[p + l..end]);
        prev = p;
    }
}

/// Scratch for [`best_match`]: the search window and the reference on every second sample,
/// and the window's running energy.
#[derive(Default)]
struct Search {
    window: Vec<f32>,
    reference: Vec<f32>,
    energy: Vec<f64>,
}

/// The start in `lo..=hi` whose first `l` samples best match (normalized cross-correlation)
/// the `l` samples at `reference`. A coarse pass on every second sample and offset, then, at
/// full resolution, the best one's neighbours against the middle (the nominal position); ties
/// keep the offset nearest the middle, so silence is cut where the tempo says. (A coarser
/// first pass, every fourth offset and sample, was 3× cheaper but misaligned enough to cost
/// 0.014 at 2×: NOTES.md, 2026-12-06 04:35.)
///
/// The coarse pass reads the window and the reference decimated into contiguous buffers, so
/// each candidate is one dot product of contiguous samples, which vectorizes, and a
/// difference of running energies.
fn best_match(
    x: &[f32],
    reference: usize,
    l: usize,
    lo: usize,
    hi: usize,
    scratch: &mut Search,
) -> usize {
    let Search {
        window,
        reference: r2,
        energy,
    } = scratch;
    window.clear();
    window.extend(x[lo..hi + l].iter().step_by(2));
    r2.clear();
    r2.extend(x[reference..reference + l].iter().step_by(2));
    energy.clear();
    energy.push(0.0);
    let mut e = 0.0f64;
    energy.extend(window.iter().map(|&s| {
        e += f64::from(s) * f64::from(s);
        e
    }));
    let m = r2.len();
    let mid = (lo + hi) / 2;
    let better = |best: (usize, f32), p: usize, s: f32| {
        s > best.1 || (s == best.1 && p.abs_diff(mid) < best.0.abs_diff(mid))
    };
    let r = &x[reference..reference + l];
    let fine = |p: usize| correlation(r, &x[p..p + l]);
    let mut best = (mid, f32::NEG_INFINITY);
    for (j, p) in (lo..=hi).step_by(2).enumerate() {
        let yy = (energy[j + m] - energy[j]) as f32;
        let s = normalized(dot(r2, &window[j..j + m]), yy);
        if better(best, p, s) {
            best = (p, s);
        }
    }
    let coarse = best.0;
    let mut best = (mid, fine(mid));
    for p in coarse.saturating_sub(1).max(lo)..=(coarse + 1).min(hi) {
        let s = fine(p);
        if better(best, p, s) {
            best = (p, s);
        }
    }
    best.0
}

/// `r · c / |c|`; 0 for a silent `c`.
fn correlation(r: &[f32], c: &[f32]) -> f32 {
    normalized(dot(r, c), dot(c, c))
}

/// `xy / √yy`, 0 where `yy` is (next to) nothing.
fn normalized(xy: f32, yy: f32) -> f32 {
    if yy <= f32::EPSILON {
        0.0
    } else {
        xy / yy.sqrt()
    }
}

/// A dot product over the shorter length, summed in eight interleaved lanes so it
/// vectorizes (the lanes are added up in order at the end, so the result does not depend on
/// the target's vector width).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 8;
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let full = n / LANES * LANES;
    let mut acc = [0.0f32; LANES];
    for i in (0..full).step_by(LANES) {
        let x: &[f32; LANES] = a[i..i + LANES].try_into().expect("a whole lane block");
        let y: &[f32; LANES] = b[i..i + LANES].try_into().expect("a whole lane block");
        for k in 0..LANES {
            acc[k] += x[k] * y[k];
        }
    }
    for i in full..n {
        acc[i - full] += a[i] * b[i];
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SR: u32 = 16_000;

    fn tone(hz: f32, secs: f32) -> Vec<f32> {
        (0..(secs * SR as f32) as usize)
            .map(|i| (std::f32::consts::TAU * hz * i as f32 / SR as f32).sin() * 1000.0)
            .collect()
    }

    /// Zero crossings per second, upward.
    fn crossings(x: &[f32]) -> f32 {
        let n = x.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
        n as f32 * SR as f32 / x.len() as f32
    }

    #[test]
    fn shortens_by_the_factor_and_keeps_the_pitch() {
        let x = tone(165.0, 1.0);
        for factor in [1.5f32, 2.0, 3.0] {
            let mut y = Vec::new();
            compress_into(&x, factor, SR, &mut y);
            let want = x.len() as f32 / factor;
            let hop = (SEGMENT - OVERLAP) * SR as f32;
            let slack = hop / 2.0 + SEARCH * SR as f32 + 1.0;
            assert!(
                (y.len() as f32 - want).abs() <= slack,
                "{factor}: {}",
                y.len()
            );
            assert!((crossings(&y) - 165.0).abs() < 3.0, "{}", crossings(&y));
            // Segments cross-faded in phase: no dip in the sine's amplitude (out of phase,
            // a cross-fade cancels it to as little as nothing).
            let period = (SR as f32 / 165.0).ceil() as usize;
            let dip = y
                .chunks(period)
                .filter(|c| c.len() == period)
                .map(|c| c.iter().fold(0.0f32, |m, s| m.max(s.abs())))
                .fold(f32::MAX, f32::min);
            assert!(dip > 950.0, "{factor}: amplitude down to {dip}");
        }
    }

    #[test]
    fn keeps_both_ends_and_silence() {
        let mut x = vec![0.0f32; 4000];
        x.extend(tone(200.0, 0.3));
        x.extend(vec![0.0f32; 4000]);
        let n = x.len();
        x[n - 1] = 7.0;
        let mut y = vec![1.0];
        compress_into(&x, 2.0, SR, &mut y);
        assert_eq!(y[0], 1.0, "appends");
        assert_eq!(*y.last().unwrap(), 7.0, "ends with the input's end");
        assert!(
            y[1..1000].iter().all(|&s| s == 0.0),
            "leading silence stays silent"
        );
        let loud = y.iter().filter(|s| s.abs() > 500.0).count() as f32;
        let loud_in = x.iter().filter(|s| s.abs() > 500.0).count() as f32;
        assert!((loud / loud_in - 0.5).abs() < 0.15, "{loud} {loud_in}");
    }

    #[test]
    fn dot_products_match_a_plain_sum_at_every_length() {
        let a: Vec<f32> = (0..40).map(|i| (i as f32 * 0.7).sin() * 300.0).collect();
        let b: Vec<f32> = (0..45).map(|i| (i as f32 * 1.3).cos() * 200.0).collect();
        for n in 0..=40 {
            let want: f64 = (0..n).map(|i| f64::from(a[i]) * f64::from(b[i])).sum();
            let got = f64::from(dot(&a[..n], &b));
            assert!(
                (got - want).abs() <= 1e-3 * (1.0 + want.abs()),
                "{n}: {got} {want}"
            );
        }
        assert_eq!(correlation(&a, &[0.0; 40]), 0.0, "silence scores nothing");
        let self_match = correlation(&a, &a);
        let norm = dot(&a, &a).sqrt();
        assert!((self_match - norm).abs() <= 1e-3 * norm);
    }

    #[test]
    fn factors_at_or_below_one_and_short_input_are_copied() {
        let x = tone(150.0, 0.05);
        for factor in [2.0, 1.0, 0.5, f32::NAN] {
            let mut y = Vec::new();
            compress_into(&x, factor, SR, &mut y);
            assert_eq!(y, x);
        }
        let long = tone(150.0, 0.5);
        let mut y = Vec::new();
        compress_into(&long, 1.0, SR, &mut y);
        assert_eq!(y, long);
    }
}
