//! Formant resonators (Klatt 1980): the vocal-tract filter of the voice builder.
//!
//! Input: an excitation signal sample by sample and the current formant frequencies and
//! bandwidths. Output: the filtered signal. Used by the builder's renderer (`mod.rs`) between
//! the glottal source (`source.rs`) and the output samples.

use std::f64::consts::PI;

/// A two-pole digital resonator `y[n] = a·x[n] + b·y[n-1] + c·y[n-2]` (Klatt 1980, eq. 1).
#[derive(Debug, Clone, Default)]
pub struct Resonator {
    a: f64,
    b: f64,
    c: f64,
    y1: f64,
    y2: f64,
    /// Normalize to unit gain at the centre frequency (parallel branch) instead of at DC.
    peak_normalized: bool,
}

impl Resonator {
    /// A resonator with unit gain at DC (cascade branch).
    pub fn cascade() -> Self {
        Resonator {
            a: 1.0,
            ..Default::default()
        }
    }

    /// A resonator with unit gain at its centre frequency (parallel branch).
    pub fn parallel() -> Self {
        Resonator {
            a: 1.0,
            peak_normalized: true,
            ..Default::default()
        }
    }

    /// Sets centre frequency and bandwidth (Hz) at sample rate `fs`. Frequencies are kept
    /// inside (20 Hz, 0.45·fs) and bandwidths ≥ 20 Hz so the filter is always stable.
    pub fn set(&mut self, freq: f64, bw: f64, fs: f64) {
        let f = freq.clamp(20.0, 0.45 * fs);
        let bw = bw.max(20.0);
        let t = 1.0 / fs;
        let r = (-PI * bw * t).exp();
        self.c = -r * r;
        self.b = 2.0 * r * (2.0 * PI * f * t).cos();
        self.a = 1.0 - self.b - self.c;
        if self.peak_normalized {
            let w = 2.0 * PI * f * t;
            // |1 - b e^{-jw} - c e^{-2jw}|: the denominator's magnitude at the centre.
            let re = 1.0 - self.b * w.cos() - self.c * (2.0 * w).cos();
            let im = self.b * w.sin() + self.c * (2.0 * w).sin();
            self.a = (re * re + im * im).sqrt();
        }
    }

    /// Filters one sample.
    #[inline]
    pub fn tick(&mut self, x: f64) -> f64 {
        let y = self.a * x + self.b * self.y1 + self.c * self.y2;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

/// A two-zero antiresonator, the inverse of a DC-normalized resonator (Klatt 1980, eq. 3).
#[derive(Debug, Clone)]
pub struct AntiResonator {
    a: f64,
    b: f64,
    c: f64,
    x1: f64,
    x2: f64,
}

impl Default for AntiResonator {
    fn default() -> Self {
        AntiResonator {
            a: 1.0,
            b: 0.0,
            c: 0.0,
            x1: 0.0,
            x2: 0.0,
        }
    }
}

impl AntiResonator {
    /// Sets the zero's frequency and bandwidth (Hz), clamped like [`Resonator::set`].
    pub fn set(&mut self, freq: f64, bw: f64, fs: f64) {
        let mut r = Resonator::cascade();
        r.set(freq, bw, fs);
        self.a = 1.0 / r.a;
        self.b = -r.b / r.a;
        self.c = -r.c / r.a;
    }

    /// Filters one sample.
    #[inline]
    pub fn tick(&mut self, x: f64) -> f64 {
        let y = self.a * x + self.b * self.x1 + self.c * self.x2;
        self.x2 = self.x1;
        self.x1 = x;
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gain_at(r: &mut Resonator, freq: f64, fs: f64) -> f64 {
        let n = 8000;
        let mut peak: f64 = 0.0;
        for i in 0..n {
            let x = (2.0 * PI * freq * i as f64 / fs).sin();
            let y = r.tick(x);
            if i > n / 2 {
                peak = peak.max(y.abs());
            }
        }
        peak
    }

    #[test]
    fn cascade_resonator_has_unit_dc_gain_and_a_peak() {
        let fs = 16000.0;
        let mut r = Resonator::cascade();
        r.set(700.0, 80.0, fs);
        let mut dc = 0.0;
        for _ in 0..4000 {
            dc = r.tick(1.0);
        }
        assert!((dc - 1.0).abs() < 1e-6, "dc gain {dc}");
        r.set(700.0, 80.0, fs);
        assert!(gain_at(&mut r, 700.0, fs) > 5.0);
    }

    #[test]
    fn parallel_resonator_has_unit_peak_gain() {
        let fs = 16000.0;
        let mut r = Resonator::parallel();
        r.set(2500.0, 200.0, fs);
        let g = gain_at(&mut r, 2500.0, fs);
        assert!((g - 1.0).abs() < 0.05, "peak gain {g}");
    }

    #[test]
    fn antiresonator_cancels_its_resonator() {
        let fs = 16000.0;
        let mut r = Resonator::cascade();
        let mut z = AntiResonator::default();
        r.set(1000.0, 100.0, fs);
        z.set(1000.0, 100.0, fs);
        for i in 0..500 {
            let x = ((i * 7919) % 101) as f64 / 50.0 - 1.0;
            let y = z.tick(r.tick(x));
            assert!((y - x).abs() < 1e-9);
        }
    }

    #[test]
    fn extreme_settings_stay_stable() {
        let fs = 16000.0;
        let mut r = Resonator::cascade();
        r.set(0.0, 0.0, fs);
        let mut y = 0.0;
        for _ in 0..10000 {
            y = r.tick(1.0);
        }
        assert!(y.is_finite() && y.abs() < 10.0);
    }
}
