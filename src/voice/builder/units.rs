//! Which units the voice builder makes and how each is cut from the model's output.
//!
//! Input: [`VoiceParams`]. Output: [`Unit`]s for every initial (onset × medial × nucleus) and
//! every final (nucleus × coda × tone, stop codas only with sắc and nặng), so that every
//! syllable the front end can produce is speakable; and for every final not closed by a stop,
//! a tail per place of a following onset: the same final rendered with its end anticipating
//! that place, cut where it starts to differ (the two renders are identical sample for sample
//! before it, so the engine splices the tail on without a seam). Initial units end, and final units begin,
//! in `steady_ms` of the nucleus's steady state at the reference F0, which the engine
//! cross-fades: the two overlap, so the vowel is not held longer than the model holds it.

use crate::text::{Coda, Nucleus, Onset, Tone};
use crate::voice::inventory::{Inventory, Place, Unit, UnitKey};

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
    for nucleus in Nucleus::ALL {
        for coda in Coda::ALL {
            if coda.is_stop() {
                continue;
            }
            for tone in Tone::ALL {
                for next in Place::ALL {
                    keys.push(UnitKey::Tail {
                        nucleus,
                        coda,
                        tone,
                        next,
                    });
                }
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
        } => initial_unit(p, key, (onset, medial, nucleus), seed, spf),
        UnitKey::Final {
            nucleus,
            coda,
            tone,
        } => {
            let frames = final_frames(p, (nucleus, coda, tone), None);
            final_unit(p, key, &frames, seed, spf).0
        }
        UnitKey::Tail {
            nucleus,
            coda,
            tone,
            next,
        } => {
            // Rendered with its final unit's seed, so the two agree up to the splice.
            let final_key = UnitKey::Final {
                nucleus,
                coda,
                tone,
            };
            let seed = unit_seed(g.seed, &final_key);
            let rhyme = (nucleus, coda, tone);
            tail_unit(p, (key, final_key), rhyme, next, seed, spf)
        }
    }
}

/// The pitch marks of a render from sample `from` on, counted from there.
fn marks_from(marks: &[u32], from: u32) -> Vec<u32> {
    marks
        .iter()
        .filter(|&&m| m >= from)
        .map(|&m| m - from)
        .collect()
}

fn initial_unit(
    p: &VoiceParams,
    key: UnitKey,
    (onset, medial, nucleus): (Onset, bool, Nucleus),
    seed: u64,
    spf: usize,
) -> Unit {
    let g = &p.global;
    let part = rules::initial(p, onset, medial, nucleus);
    let mut frames = part.frames;
    for f in frames.iter_mut() {
        f[P::F0 as usize] = g.reference_f0;
    }
    frames.extend(steady_frames(p, nucleus, g.steady_ms));
    // The preceding context: a neutral vowel fading out, as the end of a syllable before.
    let mut all = context_frames(p);
    let cut = all.len() * spf;
    all.extend(frames);
    let r = render(p, &all, seed);
    let boundary = (part.boundary_ms * g.sample_rate as f64 / 1000.0).round() as u32;
    let samples = to_i16(&r.samples[cut.min(r.samples.len())..]);
    Unit {
        key,
        boundary: boundary.min(samples.len().saturating_sub(1) as u32),
        samples,
        pitch_marks: marks_from(&r.pitch_marks, cut as u32),
    }
}

/// The frames rendered before an initial unit (none when `initial_context_ms` is 0): ơ at
/// the reference F0 for `initial_context_ms`, then its voicing and aspiration fading to
/// nothing over `fade_ms`.
fn context_frames(p: &VoiceParams) -> Vec<rules::Frame> {
    let g = &p.global;
    if g.initial_context_ms <= 0.0 {
        return Vec::new();
    }
    let hold = (g.initial_context_ms / g.frame_ms).ceil() as usize;
    let fade = (g.fade_ms / g.frame_ms).ceil().max(1.0) as usize;
    let vowel = rules::steady_frame(p, Nucleus::Ow);
    (0..hold + fade)
        .map(|i| {
            let mut f = vowel;
            if i >= hold {
                let left = 1.0 - (i - hold + 1) as f64 / fade as f64;
                f[P::Av as usize] *= left;
                f[P::Ah as usize] *= left;
            }
            f
        })
        .collect()
}

/// The frames of a final unit: a steady lead (warm-up, then the join's steady state) and the
/// final part, its end anticipating `next` if given.
struct FinalFrames {
    frames: Vec<rules::Frame>,
    /// Frames before the final part.
    lead_len: usize,
    /// Where the coda begins, in ms from the final part's start.
    boundary_ms: f64,
}

fn final_frames(
    p: &VoiceParams,
    (nucleus, coda, tone): (Nucleus, Coda, Tone),
    next: Option<Place>,
) -> FinalFrames {
    let g = &p.global;
    let mut part = rules::final_part(p, nucleus, coda, tone, 1.0);
    if let Some(place) = next {
        rules::anticipate(p, &mut part.frames, place);
    }
    // The steady state is voiced at the reference F0, like the initials' (starting it at the
    // tone's own F0 instead measured worse through the engine: NOTES.md, 07:50).
    let mut frames = steady_frames(p, nucleus, g.warmup_ms + g.steady_ms);
    let lead_len = frames.len();
    frames.extend(part.frames);
    FinalFrames {
        frames,
        lead_len,
        boundary_ms: part.boundary_ms,
    }
}

/// Renders a final unit from its frames and returns it with the sample of the render it
/// starts at.
fn final_unit(
    p: &VoiceParams,
    key: UnitKey,
    f: &FinalFrames,
    seed: u64,
    spf: usize,
) -> (Unit, usize) {
    let g = &p.global;
    let r = render(p, &f.frames, seed);
    // Discard the warm-up: start at the first glottal closure after it.
    let warm = (g.warmup_ms / g.frame_ms).ceil() as usize * spf;
    let cut = r
        .pitch_marks
        .iter()
        .copied()
        .find(|&m| m as usize >= warm)
        .unwrap_or(warm as u32);
    let samples = to_i16(&r.samples[cut as usize..]);
    let boundary = (f.lead_len * spf) as f64 + f.boundary_ms * g.sample_rate as f64 / 1000.0;
    let boundary = (boundary.round() as u32).saturating_sub(cut);
    let unit = Unit {
        key,
        boundary: boundary.min(samples.len().saturating_sub(1) as u32),
        samples,
        pitch_marks: marks_from(&r.pitch_marks, cut),
    };
    (unit, cut as usize)
}

/// Makes the tail of `final_key` before an onset at `next`: the anticipating render of the
/// final from the first sample where it can differ from the plain one (the sample before the
/// first changed frame begins interpolating toward it).
fn tail_unit(
    p: &VoiceParams,
    (key, final_key): (UnitKey, UnitKey),
    rhyme: (Nucleus, Coda, Tone),
    next: Place,
    seed: u64,
    spf: usize,
) -> Unit {
    let plain = final_frames(p, rhyme, None);
    let moved = final_frames(p, rhyme, Some(next));
    let first_changed = plain
        .frames
        .iter()
        .zip(&moved.frames)
        .position(|(a, b)| a != b)
        .unwrap_or(moved.frames.len().saturating_sub(1));
    let (full, cut) = final_unit(p, final_key, &moved, seed, spf);
    let splice = (first_changed.saturating_sub(1) * spf)
        .saturating_sub(cut)
        .min(full.samples.len().saturating_sub(1));
    Unit {
        key,
        samples: full.samples[splice..].to_vec(),
        pitch_marks: marks_from(&full.pitch_marks, splice as u32),
        boundary: splice as u32,
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
        // 7 non-stop codas × 6 tones + 4 stop codas × 2 tones, per nucleus; then a tail per
        // place for each non-stop final.
        assert_eq!(
            keys.len(),
            24 * 2 * 14 + 14 * (7 * 6 + 4 * 2) + 14 * 7 * 6 * 4
        );
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
                UnitKey::Tail { .. } => unreachable!("only initials and finals are listed"),
            };
            assert!(marks.len() >= 2, "{key:?}");
            for w in marks.windows(2) {
                let d = (w[0] as f64 - w[1] as f64).abs();
                assert!((d - period).abs() < period * 0.08, "{key:?}: period {d}");
            }
        }
    }

    #[test]
    fn a_tail_spliced_on_its_final_is_the_anticipating_render() {
        let p = params();
        let spf = (p.global.frame_ms * p.global.sample_rate as f64 / 1000.0).round() as usize;
        for (nucleus, coda, tone) in [
            (Nucleus::A, Coda::None, Tone::Ngang),
            (Nucleus::Oo, Coda::Ng, Tone::Huyen),
            (Nucleus::Ie, Coda::U, Tone::Nga),
        ] {
            let final_key = UnitKey::Final {
                nucleus,
                coda,
                tone,
            };
            let plain = build_unit(&p, final_key);
            for next in Place::ALL {
                let tail = build_unit(
                    &p,
                    UnitKey::Tail {
                        nucleus,
                        coda,
                        tone,
                        next,
                    },
                );
                let seed = unit_seed(p.global.seed, &final_key);
                let moved = final_frames(&p, (nucleus, coda, tone), Some(next));
                let (whole, _) = final_unit(&p, final_key, &moved, seed, spf);
                let mut spliced = plain.clone();
                plain.splice_into(&tail, &mut spliced);
                assert_eq!(spliced, whole, "{final_key:?} before {next:?}");
                // The tail is the end only: at most the anticipation's 40 ms and a frame
                // (less where the first frames happen to be at the locus already, as F1 of a
                // nasal murmur before a velar).
                let at = tail.boundary as usize;
                let ms = tail.samples.len() as f64 * 1000.0 / p.global.sample_rate as f64;
                assert!(ms <= 50.0, "{final_key:?}: tail {ms} ms");
                // Labial and palatal onsets move F2 away from every one of these rhymes.
                if matches!(next, Place::Labial | Place::Palatal) {
                    assert!(ms >= 40.0, "{final_key:?}: tail {ms} ms");
                    assert_ne!(&plain.samples[at..], &tail.samples[..], "{final_key:?}");
                }
            }
        }
    }

    #[test]
    fn initial_units_start_from_running_speech_without_its_sound() {
        let p = params();
        assert!(p.global.initial_context_ms > 0.0);
        let key = UnitKey::Initial {
            onset: Onset::T,
            medial: false,
            nucleus: Nucleus::A,
        };
        let u = build_unit(&p, key);
        let peak = |x: &[i16]| x.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
        // The context vowel has faded before the cut: the closure of t is silent (its first
        // 20 ms far below the vowel), and the burst and vowel follow.
        let (whole, start) = (peak(&u.samples), peak(&u.samples[..320]));
        assert!(whole > 3000, "peak {whole}");
        assert!(
            u32::from(start) * 100 < u32::from(whole),
            "start {start} of {whole}"
        );
        // Without the context the unit is the same sound: as long, its vowel as loud.
        let mut q = p.clone();
        q.global.initial_context_ms = 0.0;
        let rest = build_unit(&q, key);
        assert_eq!(rest.samples.len(), u.samples.len());
        assert_eq!(rest.boundary, u.boundary);
        let ratio = f64::from(peak(&rest.samples)) / f64::from(whole);
        assert!((ratio - 1.0).abs() < 0.2, "peak ratio {ratio}");
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
