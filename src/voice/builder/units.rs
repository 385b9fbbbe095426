//! Which units the voice builder makes and how each is cut from the model's output.
//!
//! Input: [`VoiceParams`]. Output: [`Unit`]s for every initial (onset × medial × nucleus) and
//! every final (nucleus × coda × tone, stop codas only with sắc and nặng), so that every
//! syllable the front end can produce is speakable. Initial units end, and final units begin,
//! in `steady_ms` of the nucleus's steady state at the reference F0, which the engine
//! cross-fades: the two overlap, so the vowel is not held longer than the model holds it.

use crate::text::{Coda, Nucleus, Onset, Tone};
use crate::voice::inventory::{Inventory, Unit, UnitKey};

use super::rules::{self, P};
use super::{render, to_i16, VoiceParams};

/// Every unit key the voice provides, initials first, in a fixed order.
pub fn unit_keys() -> Vec<UnitKey> {
    let mut keys = Vec::new();
    for onset in Onset::ALL {
        for medial in [false, true] {
            for nucleus in Nucleus::ALL {
                keys.push(UnitKey::Initial {
                    onset,
                    medial,
                    nucleus,
                });
            }
        }
    }
    for nucleus in Nucleus::ALL {
        for coda in Coda::ALL {
            for tone in Tone::ALL {
                if coda.is_stop() && !matches!(tone, Tone::Sac | Tone::Nang) {
                    continue;
                }
                keys.push(UnitKey::Final {
                    nucleus,
                    coda,
                    tone,
                });
            }
        }
    }
    keys
}

/// A stable seed per unit (independent of Rust's hasher), mixed with the voice's seed.
fn unit_seed(base: u64, key: &UnitKey) -> u64 {
    let text = format!("{key:?}");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ base;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn steady_frames(p: &VoiceParams, nucleus: Nucleus, ms: f64) -> Vec<rules::Frame> {
    let n = (ms / p.global.frame_ms).ceil() as usize;
    vec![rules::steady_frame(p, nucleus); n]
}

/// Makes one unit.
pub fn build_unit(p: &VoiceParams, key: UnitKey) -> Unit {
    let g = &p.global;
    let spf = (g.frame_ms * g.sample_rate as f64 / 1000.0).round() as usize;
    let seed = unit_seed(g.seed, &key);
    match key {
        UnitKey::Initial {
            onset,
            medial,
            nucleus,
        } => initial_unit(p, key, onset, medial, nucleus, seed),
        UnitKey::Final {
            nucleus,
            coda,
            tone,
        } => final_unit(p, key, nucleus, coda, tone, seed, spf),
    }
}

fn initial_unit(
    p: &VoiceParams,
    key: UnitKey,
    onset: Onset,
    medial: bool,
    nucleus: Nucleus,
    seed: u64,
) -> Unit {
    let g = &p.global;
    let part = rules::initial(p, onset, medial, nucleus);
    let mut frames = part.frames;
    for f in frames.iter_mut() {
        f[P::F0 as usize] = g.reference_f0;
    }
    frames.extend(steady_frames(p, nucleus, g.steady_ms));
    let r = render(p, &frames, seed);
    let boundary = (part.boundary_ms * g.sample_rate as f64 / 1000.0).round() as u32;
    Unit {
        key,
        samples: to_i16(&r.samples),
        pitch_marks: r.pitch_marks,
        boundary: boundary.min(r.samples.len().saturating_sub(1) as u32),
    }
}

fn final_unit(
    p: &VoiceParams,
    key: UnitKey,
    nucleus: Nucleus,
    coda: Coda,
    tone: Tone,
    seed: u64,
    spf: usize,
) -> Unit {
    let g = &p.global;
    let part = rules::final_part(p, nucleus, coda, tone, 1.0);
    // The steady state is voiced at the reference F0, like the initials' (starting it at the
    // tone's own F0 instead measured worse through the engine: NOTES.md, 07:50).
    let lead = steady_frames(p, nucleus, g.warmup_ms + g.steady_ms);
    let lead_len = lead.len();
    let mut frames = lead;
    frames.extend(part.frames);
    let r = render(p, &frames, seed);
    // Discard the warm-up: start at the first glottal closure after it.
    let warm = (g.warmup_ms / g.frame_ms).ceil() as usize * spf;
    let cut = r
        .pitch_marks
        .iter()
        .copied()
        .find(|&m| m as usize >= warm)
        .unwrap_or(warm as u32);
    let samples = to_i16(&r.samples[cut as usize..]);
    let pitch_marks = r
        .pitch_marks
        .iter()
        .filter(|&&m| m >= cut)
        .map(|&m| m - cut)
        .collect();
    let boundary = (lead_len * spf) as f64 + part.boundary_ms * g.sample_rate as f64 / 1000.0;
    let boundary = (boundary.round() as u32).saturating_sub(cut);
    Unit {
        key,
        boundary: boundary.min(samples.len().saturating_sub(1) as u32),
        samples,
        pitch_marks,
    }
}

/// Builds every unit of the voice. `progress` is called after each unit with (done, total).
pub fn build_inventory(p: &VoiceParams, mut progress: impl FnMut(usize, usize)) -> Inventory {
    let keys = unit_keys();
    let total = keys.len();
    let units = keys
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let u = build_unit(p, k);
            progress(i + 1, total);
            u
        })
        .collect();
    Inventory {
        sample_rate: p.global.sample_rate,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::builder::tests::params;

    #[test]
    fn every_initial_and_final_combination_has_a_key() {
        let keys = unit_keys();
        assert_eq!(
            keys.iter()
                .filter(|k| matches!(k, UnitKey::Initial { .. }))
                .count(),
            24 * 2 * 14
        );
        // 7 non-stop codas × 6 tones + 4 stop codas × 2 tones, per nucleus.
        assert_eq!(keys.len(), 24 * 2 * 14 + 14 * (7 * 6 + 4 * 2));
    }

    #[test]
    fn units_meet_the_join_contract() {
        let p = params();
        let period = p.global.sample_rate as f64 / p.global.reference_f0;
        for key in [
            UnitKey::Initial {
                onset: Onset::Th,
                medial: true,
                nucleus: Nucleus::A,
            },
            UnitKey::Initial {
                onset: Onset::B,
                medial: false,
                nucleus: Nucleus::Ie,
            },
            UnitKey::Final {
                nucleus: Nucleus::Ie,
                coda: Coda::Ng,
                tone: Tone::Nga,
            },
            UnitKey::Final {
                nucleus: Nucleus::A,
                coda: Coda::T,
                tone: Tone::Nang,
            },
        ] {
            let u = build_unit(&p, key);
            assert!(!u.samples.is_empty());
            assert!((u.boundary as usize) < u.samples.len(), "{key:?}");
            assert!(u.pitch_marks.windows(2).all(|w| w[0] < w[1]));
            assert!(u
                .pitch_marks
                .iter()
                .all(|&m| (m as usize) < u.samples.len()));
            // The join ends are voiced at the reference F0: the initial unit's last three
            // periods, the final unit's first, which starts on a glottal closure.
            let marks: Vec<u32> = match key {
                UnitKey::Initial { .. } => u.pitch_marks.iter().rev().take(4).copied().collect(),
                UnitKey::Final { .. } => {
                    assert_eq!(u.pitch_marks.first(), Some(&0), "{key:?}");
                    u.pitch_marks.iter().take(2).copied().collect()
                }
            };
            assert!(marks.len() >= 2, "{key:?}");
            for w in marks.windows(2) {
                let d = (w[0] as f64 - w[1] as f64).abs();
                assert!((d - period).abs() < period * 0.08, "{key:?}: period {d}");
            }
        }
    }

    #[test]
    fn rebuilding_gives_identical_units() {
        let p = params();
        let key = UnitKey::Final {
            nucleus: Nucleus::O,
            coda: Coda::Nh,
            tone: Tone::Hoi,
        };
        assert_eq!(build_unit(&p, key), build_unit(&p, key));
    }
}
