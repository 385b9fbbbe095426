//! The glottal source of the voice builder: KLGLOTT88 pulses with jitter, shimmer, open
//! quotient, spectral tilt, creak, and seeded noise for aspiration and frication.
//!
//! Input: per-sample source settings (F0, amplitude, open quotient, tilt, creak). Output: the
//! voiced excitation sample by sample and the glottal closure instants (the pitch marks).
//! Deterministic: all randomness comes from [`Noise`], seeded by the caller.

/// A small deterministic noise generator (xorshift64*), so rebuilding gives identical bytes.
#[derive(Debug, Clone)]
pub struct Noise {
    state: u64,
}

impl Noise {
    /// A generator from a seed (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Noise {
            state: seed ^ 0x9E37_79B9_7F4A_7C15 | 1,
        }
    }

    /// A uniform value in [0, 1).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let v = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (v >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An approximately Gaussian value with unit variance (sum of four uniforms).
    #[inline]
    pub fn gauss(&mut self) -> f64 {
        let s = self.uniform() + self.uniform() + self.uniform() + self.uniform();
        (s - 2.0) * 1.732_050_8
    }
}

/// The glottal settings at one sample.
#[derive(Debug, Clone, Copy)]
pub struct SourceParams {
    /// Fundamental frequency (Hz).
    pub f0: f64,
    /// Voicing amplitude, linear (0 = unvoiced).
    pub amp: f64,
    /// Open quotient, 0.3–0.9 (larger = breathier, weaker high frequencies).
    pub oq: f64,
    /// Spectral tilt: one-pole low-pass coefficient, 0 (none) to < 1.
    pub tilt: f64,
    /// Creak, 0–1: lower, irregular, pressed pulses.
    pub creak: f64,
}

/// Settings of the source that do not change along an utterance.
#[derive(Debug, Clone, Copy)]
pub struct SourceConfig {
    pub sample_rate: f64,
    /// Relative period jitter (e.g. 0.01).
    pub jitter: f64,
    /// Relative amplitude shimmer (e.g. 0.03).
    pub shimmer: f64,
    /// F0 multiplier at full creak (e.g. 0.55).
    pub creak_f0: f64,
    /// Period irregularity at full creak (e.g. 0.25).
    pub creak_jitter: f64,
}

/// The KLGLOTT88 glottal source: one pulse per period, open phase first, closure at the end
/// of the open phase.
#[derive(Debug, Clone)]
pub struct Glottis {
    cfg: SourceConfig,
    /// Position in the current period (samples).
    pos: f64,
    period: f64,
    open: f64,
    pulse_amp: f64,
    tilt_y: f64,
    closure_pending: bool,
    alternate: bool,
}

/// One source sample.
#[derive(Debug, Clone, Copy)]
pub struct SourceSample {
    /// Voiced excitation (flow derivative, tilt applied).
    pub voice: f64,
    /// Whether the glottis is open (aspiration noise is louder then).
    pub open: bool,
    /// A glottal closure happened at this sample while voicing.
    pub closure: bool,
}

impl Glottis {
    pub fn new(cfg: SourceConfig) -> Self {
        Glottis {
            cfg,
            pos: 0.0,
            period: 0.0,
            open: 0.0,
            pulse_amp: 0.0,
            tilt_y: 0.0,
            closure_pending: false,
            alternate: false,
        }
    }

    /// Produces the next sample.
    pub fn tick(&mut self, p: &SourceParams, noise: &mut Noise) -> SourceSample {
        if self.pos >= self.period {
            self.pos -= self.period.max(0.0);
            self.start_period(p, noise);
        }
        let t = self.pos;
        let mut x = 0.0;
        let mut closure = false;
        let is_open = t < self.open;
        if is_open {
            // KLGLOTT88 flow derivative: 2at − 3at²/Te, with a = 1/Te (peak closing slope −1).
            let a = 1.0 / self.open;
            x = self.pulse_amp * (2.0 * a * t - 3.0 * a * t * t / self.open);
        } else if self.closure_pending {
            self.closure_pending = false;
            closure = self.pulse_amp > 0.0;
        }
        self.pos += 1.0;
        let k = p.tilt.clamp(0.0, 0.97);
        self.tilt_y = (1.0 - k) * x + k * self.tilt_y;
        SourceSample {
            voice: self.tilt_y,
            open: is_open,
            closure,
        }
    }

    fn start_period(&mut self, p: &SourceParams, noise: &mut Noise) {
        let creak = p.creak.clamp(0.0, 1.0);
        let f0 = p.f0.clamp(40.0, 600.0) * (1.0 - creak * (1.0 - self.cfg.creak_f0));
        let irregular = self.cfg.jitter * (noise.uniform() * 2.0 - 1.0)
            + creak * self.cfg.creak_jitter * (noise.uniform() * 2.0 - 1.0);
        self.period = (self.cfg.sample_rate / f0 * (1.0 + irregular)).max(8.0);
        let oq = (p.oq * (1.0 - 0.4 * creak)).clamp(0.2, 0.95);
        self.open = (self.period * oq).max(4.0);
        self.alternate = !self.alternate;
        let shimmer = 1.0 + self.cfg.shimmer * (noise.uniform() * 2.0 - 1.0);
        // Creaky pulses alternate in strength (diplophonia) and vary more.
        let creaky = if self.alternate {
            1.0 - 0.5 * creak
        } else {
            1.0
        } * (1.0 + 0.3 * creak * (noise.uniform() - 0.5));
        self.pulse_amp = p.amp.max(0.0) * shimmer * creaky;
        self.closure_pending = self.pulse_amp > 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> SourceConfig {
        SourceConfig {
            sample_rate: 16000.0,
            jitter: 0.0,
            shimmer: 0.0,
            creak_f0: 0.55,
            creak_jitter: 0.25,
        }
    }

    #[test]
    fn closures_come_once_per_period() {
        let mut g = Glottis::new(cfg());
        let mut noise = Noise::new(1);
        let p = SourceParams {
            f0: 160.0,
            amp: 1.0,
            oq: 0.6,
            tilt: 0.0,
            creak: 0.0,
        };
        let marks: Vec<usize> = (0..16000)
            .filter(|_| g.tick(&p, &mut noise).closure)
            .collect::<Vec<_>>();
        assert!(
            (158..=161).contains(&marks.len()),
            "{} closures",
            marks.len()
        );
    }

    #[test]
    fn pulses_have_no_dc() {
        let mut g = Glottis::new(cfg());
        let mut noise = Noise::new(1);
        let p = SourceParams {
            f0: 100.0,
            amp: 1.0,
            oq: 0.5,
            tilt: 0.0,
            creak: 0.0,
        };
        let x: Vec<f64> = (0..1600).map(|_| g.tick(&p, &mut noise).voice).collect();
        let sum: f64 = x.iter().sum();
        let mass: f64 = x.iter().map(|v| v.abs()).sum();
        assert!(sum.abs() < 0.03 * mass, "sum {sum} of {mass}");
    }

    #[test]
    fn noise_is_deterministic_and_centred() {
        let a: Vec<f64> = {
            let mut n = Noise::new(7);
            (0..1000).map(|_| n.gauss()).collect()
        };
        let mut n = Noise::new(7);
        let b: Vec<f64> = (0..1000).map(|_| n.gauss()).collect();
        assert_eq!(a, b);
        let mean = a.iter().sum::<f64>() / 1000.0;
        assert!(mean.abs() < 0.15);
    }
}
