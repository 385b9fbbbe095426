//! A tiny synthetic voice for tests and benchmarks: every unit of the demisyllable inventory,
//! made of harmonic waveforms with exact pitch marks and the six tones' textbook contours.
//!
//! Not speech: vowels are fixed harmonic spectra and consonants are noise or a quiet voice
//! bar. It lets the engine's properties (timing, joins, pitch contours, limits) be tested
//! without the built voice, and gives other stages a voice that loads in milliseconds.

use crate::text::{Coda, Nucleus, Tone};

use super::format::{CODAS, NUCLEI, ONSETS};
use super::inventory::{Inventory, Unit, UnitKey};
use super::{Voice, VoiceInfo};

/// The F0 (Hz) of the synthetic voice's initial units.
pub const REFERENCE_F0: f32 = 120.0;

/// The tone's F0 contour (Hz) at `x` ∈ [0, 1] of a final unit; flat over the first 15% so
/// the unit starts in a steady state.
pub fn tone_f0(tone: Tone, x: f32) -> f32 {
    let x = ((x - 0.15) / 0.85).clamp(0.0, 1.0);
    let lerp = |a: f32, b: f32, t: f32| a + (b - a) * t;
    match tone {
        Tone::Ngang => lerp(120.0, 114.0, x),
        Tone::Huyen => lerp(104.0, 80.0, x),
        Tone::Sac => lerp(118.0, 170.0, x.powf(1.5)),
        Tone::Hoi => {
            if x < 0.55 {
                lerp(112.0, 82.0, x / 0.55)
            } else {
                lerp(82.0, 105.0, (x - 0.55) / 0.45)
            }
        }
        Tone::Nga => {
            if x < 0.45 {
                lerp(114.0, 104.0, x / 0.45)
            } else {
                lerp(104.0, 172.0, (x - 0.45) / 0.55)
            }
        }
        Tone::Nang => lerp(100.0, 74.0, x),
    }
}

/// Harmonic amplitudes of a nucleus: a crude two-peak spectrum, different per vowel.
fn spectrum(nucleus: Nucleus) -> [f32; 8] {
    let k = NUCLEI.iter().position(|&n| n == nucleus).unwrap_or(0) as f32;
    let mut a = [0.0; 8];
    for (h, v) in a.iter_mut().enumerate() {
        let h = h as f32 + 1.0;
        let p1 = 2.0 + (k % 4.0);
        let p2 = 5.0 + (k % 3.0);
        *v = 1.0 / (1.0 + (h - p1).powi(2)) + 0.6 / (1.0 + (h - p2).powi(2));
    }
    a
}

/// Appends voiced samples following `f0(i)` Hz, with a mark at each period start.
struct Voicer {
    sr: f32,
    phase: f32,
    rng: u32,
    samples: Vec<i16>,
    marks: Vec<u32>,
}

impl Voicer {
    fn voiced(&mut self, n: usize, amp: f32, spec: &[f32; 8], f0: impl Fn(usize) -> f32) {
        let norm: f32 = spec.iter().sum();
        for i in 0..n {
            if self.phase == 0.0 {
                self.marks.push(self.samples.len() as u32);
            }
            let ph = 2.0 * std::f32::consts::PI * self.phase;
            let v: f32 = spec
                .iter()
                .enumerate()
                .map(|(h, a)| a * (ph * (h as f32 + 1.0)).sin())
                .sum();
            self.samples.push((amp * v / norm) as i16);
            self.phase += f0(i) / self.sr;
            if self.phase >= 1.0 {
                self.phase = 0.0;
            }
        }
    }

    /// Takes the unit made so far and starts the next.
    fn take(&mut self) -> (Vec<i16>, Vec<u32>) {
        self.phase = 0.0;
        (
            std::mem::take(&mut self.samples),
            std::mem::take(&mut self.marks),
        )
    }

    fn noise(&mut self, n: usize, amp: f32) {
        self.phase = 0.0;
        for _ in 0..n {
            self.rng = self.rng.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let r = (self.rng >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
            self.samples.push((amp * r) as i16);
        }
    }
}

/// Every initial and final unit at `sample_rate`: initial units of 80 ms (30 ms consonant),
/// final units of 170 ms (vowel, then a 40 ms coda).
pub fn inventory(sample_rate: u32) -> Inventory {
    let sr = sample_rate as f32;
    let ms = |m: f32| (m * sr / 1000.0) as usize;
    let mut v = Voicer {
        sr,
        phase: 0.0,
        rng: 1,
        samples: Vec::new(),
        marks: Vec::new(),
    };
    let mut units = Vec::new();
    for onset in ONSETS {
        for medial in [false, true] {
            for nucleus in NUCLEI {
                if onset.is_voiceless() {
                    v.noise(ms(30.0), 6000.0);
                } else {
                    let bar = [1.0, 0.3, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0];
                    v.voiced(ms(30.0), 3000.0, &bar, |_| REFERENCE_F0);
                }
                let boundary = v.samples.len() as u32;
                let spec = spectrum(nucleus);
                v.voiced(ms(50.0), 12000.0, &spec, |_| REFERENCE_F0);
                let (samples, pitch_marks) = v.take();
                units.push(Unit {
                    key: UnitKey::Initial {
                        onset,
                        medial,
                        nucleus,
                    },
                    samples,
                    pitch_marks,
                    boundary,
                });
            }
        }
    }
    for nucleus in NUCLEI {
        for coda in CODAS {
            for tone in Tone::ALL {
                let (vowel, coda_len) = (ms(130.0), ms(40.0));
                let total = (vowel + coda_len) as f32;
                let contour =
                    |offset: usize| move |i: usize| tone_f0(tone, (offset + i) as f32 / total);
                let spec = spectrum(nucleus);
                v.voiced(vowel, 12000.0, &spec, contour(0));
                let boundary = v.samples.len() as u32;
                if coda.is_stop() {
                    v.noise(coda_len, 300.0);
                } else if coda != Coda::None {
                    let murmur = [1.0, 0.4, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0];
                    v.voiced(coda_len, 5000.0, &murmur, contour(vowel));
                } else {
                    v.voiced(coda_len, 9000.0, &spec, contour(vowel));
                }
                let (samples, pitch_marks) = v.take();
                units.push(Unit {
                    key: UnitKey::Final {
                        nucleus,
                        coda,
                        tone,
                    },
                    samples,
                    pitch_marks,
                    boundary,
                });
            }
        }
    }
    Inventory { sample_rate, units }
}

/// The synthetic voice, id `synthetic`, at 16 kHz.
pub fn voice() -> Voice {
    let sample_rate = 16_000;
    Voice::new(
        VoiceInfo {
            id: "synthetic".into(),
            name: "Synthetic test voice".into(),
            language: "vi".into(),
            dialect: "north".into(),
            sample_rate,
        },
        REFERENCE_F0,
        inventory(sample_rate),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_inventory_is_valid_and_complete() {
        let inv = inventory(16_000);
        inv.validate().unwrap();
        assert_eq!(inv.units.len(), 24 * 2 * 14 + 14 * 11 * 6);
        for u in &inv.units {
            if let UnitKey::Final { .. } = u.key {
                assert!(u.pitch_marks.len() >= 10, "{:?}", u.key);
                assert!(u.pitch_marks[0] == 0);
            }
        }
    }
}
