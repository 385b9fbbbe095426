//! The voice builder: makes a voice's unit inventory by formant synthesis by rule
//! (Klatt 1980; Klatt & Klatt 1990), from the readable parameter files under
//! `voices/<id>/build/`.
//!
//! Input: [`VoiceParams`]. Output: an [`Inventory`] of demisyllable units (`units.rs`), or
//! whole utterances spoken directly by the model ([`speak`]) as the upper bound of what the
//! units can give. Layout:
//! - `phones.rs`: parameter files → typed phone targets;
//! - `rules.rs`: targets → 5 ms frames along trajectories (transitions, coda, tone);
//! - `source.rs`: the glottal source and seeded noise;
//! - `filter.rs`: cascade and parallel formant resonators;
//! - this file: frames → samples and pitch marks ([`render`]);
//! - `units.rs`: which units to make and how they are cut.
//!
//! Deterministic: the same parameter files give the same bytes.

pub mod filter;
pub mod phones;
pub mod rules;
pub mod source;
pub mod units;

pub use phones::{ParamsError, VoiceParams};
pub use units::{build_inventory, build_unit, unit_keys};

use crate::text::Syllable;
use crate::voice::Place;

use filter::{AntiResonator, Resonator};
use rules::{Frame, P};
use source::{Glottis, Noise, SourceConfig, SourceParams};

/// Samples rendered from frames, before conversion to i16.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Output samples at full scale ±1.
    pub samples: Vec<f64>,
    /// Glottal closure instants while voicing.
    pub pitch_marks: Vec<u32>,
}

/// dB (60 = unit amplitude) → linear; 0 dB or less is silence.
fn lin(db: f64) -> f64 {
    if db <= 0.0 {
        0.0
    } else {
        10f64.powf((db - 60.0) / 20.0)
    }
}

/// Relative dB → linear.
fn rel(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// Renders frames (each `frame_ms` long) to samples, interpolating every parameter linearly
/// between frames; filters are retuned every millisecond.
pub fn render(params: &VoiceParams, frames: &[Frame], seed: u64) -> Rendered {
    let g = &params.global;
    let fs = g.sample_rate as f64;
    let spf = ((g.frame_ms * fs / 1000.0).round() as usize).max(1);
    let n = frames.len() * spf;
    let mut out = Vec::with_capacity(n);
    let mut marks = Vec::new();
    let mut glottis = Glottis::new(SourceConfig {
        sample_rate: fs,
        jitter: g.jitter,
        shimmer: g.shimmer,
        creak_f0: g.creak_f0,
        creak_jitter: g.creak_jitter,
    });
    let mut noise = Noise::new(seed);
    let mut fric_noise = Noise::new(seed.wrapping_add(0x5151));
    let mut cascade: Vec<Resonator> = (0..5).map(|_| Resonator::cascade()).collect();
    let mut nasal_pole = Resonator::cascade();
    let mut nasal_zero = AntiResonator::default();
    let mut parallel: Vec<Resonator> = (0..5).map(|_| Resonator::parallel()).collect();
    let mut par_gain = [0.0; 6];
    let step = ((fs / 1000.0) as usize).max(1);
    let mut cur: Frame = [0.0; rules::NP];
    let mut prev_noise = 0.0;
    for i in 0..n {
        let k = i / spf;
        let x = (i % spf) as f64 / spf as f64;
        let a = &frames[k];
        let b = frames.get(k + 1).unwrap_or(a);
        if i % step == 0 || i == 0 {
            for j in 0..rules::NP {
                cur[j] = a[j] + (b[j] - a[j]) * x;
            }
            let fq = |p: P| cur[p as usize];
            let bws = [fq(P::B1), fq(P::B2), fq(P::B3), g.bw[3], g.bw[4]];
            let fr = [fq(P::F1), fq(P::F2), fq(P::F3), fq(P::F4), fq(P::F5)];
            for (r, (f, bw)) in cascade.iter_mut().zip(fr.iter().zip(bws)) {
                r.set(*f, bw, fs);
            }
            let nasal = fq(P::Nasal).clamp(0.0, 1.0);
            nasal_pole.set(g.nasal_pole, g.nasal_pole_bw, fs);
            let zf = g.nasal_pole + nasal * (fq(P::Fnz) - g.nasal_pole);
            let zb = g.nasal_pole_bw + nasal * (g.nasal_zero_bw - g.nasal_pole_bw);
            nasal_zero.set(zf, zb, fs);
            let pf = [fq(P::F2), fq(P::F3), fq(P::F4), fq(P::F5), g.f6];
            let pb = [
                fq(P::B2).max(150.0),
                fq(P::B3).max(200.0),
                g.bw[3].max(250.0),
                g.bw[4].max(300.0),
                g.bw[5],
            ];
            for (r, (f, bw)) in parallel.iter_mut().zip(pf.iter().zip(pb)) {
                r.set(*f, bw, fs);
            }
            let af = lin(fq(P::Af));
            for (j, q) in [P::N2, P::N3, P::N4, P::N5, P::N6, P::Nb]
                .into_iter()
                .enumerate()
            {
                par_gain[j] = af * rel(fq(q));
            }
        }
        let v = |p: P| a[p as usize] + (b[p as usize] - a[p as usize]) * x;
        let av_db = v(P::Av);
        let amp = if av_db > 0.0 {
            lin(av_db + v(P::Gain))
        } else {
            0.0
        };
        let src = glottis.tick(
            &SourceParams {
                f0: v(P::F0),
                amp,
                oq: v(P::Oq),
                tilt: v(P::Tilt),
                creak: v(P::Creak),
            },
            &mut noise,
        );
        if src.closure && av_db > 20.0 {
            marks.push(i as u32);
        }
        let voicing = amp > 0.0;
        let asp_mod = if voicing && !src.open { 0.35 } else { 1.0 };
        // Turbulence at the glottis: white noise tilted upward (first difference).
        let n0 = noise.gauss();
        let asp = (n0 - g.aspiration_preemph * prev_noise) * lin(v(P::Ah)) * asp_mod;
        prev_noise = n0;
        let mut y = nasal_zero.tick(nasal_pole.tick(src.voice + asp));
        for r in cascade.iter_mut().rev() {
            y = r.tick(y);
        }
        let fr = fric_noise.gauss();
        let mut par = par_gain[5] * fr;
        let mut sign = 1.0;
        for (r, gain) in parallel.iter_mut().zip(par_gain) {
            par += sign * gain * r.tick(fr);
            sign = -sign;
        }
        out.push((y + par) * g.output_gain);
    }
    Rendered {
        samples: out,
        pitch_marks: marks,
    }
}

/// Converts samples at full scale ±1 to i16, clamping.
pub fn to_i16(samples: &[f64]) -> Vec<i16> {
    samples
        .iter()
        .map(|s| (s * 32767.0).round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}

/// One item of an utterance for [`speak`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spoken {
    Syllable(Syllable),
    /// A pause; `true` for a sentence end, `false` for a comma.
    Pause(bool),
}

/// Speaks syllables and pauses directly with the model (whole syllables, no units):
/// declination across each sentence, phrase-final lengthening before pauses, each rhyme's end
/// anticipating the next onset within a phrase.
pub fn speak(params: &VoiceParams, items: &[Spoken], seed: u64) -> Vec<i16> {
    let t = &params.timing;
    let g = &params.global;
    let mut frames: Vec<Frame> = Vec::new();
    let silence = |ms: f64, like: Frame| {
        let mut f = like;
        f[P::Av as usize] = 0.0;
        f[P::Ah as usize] = 0.0;
        f[P::Af as usize] = 0.0;
        vec![f; (ms / g.frame_ms).round() as usize]
    };
    let mut sentence_start = 0;
    // Lead-in silence.
    frames.extend(silence(
        100.0,
        rules::steady_frame(params, crate::text::Nucleus::A),
    ));
    for (i, item) in items.iter().enumerate() {
        match item {
            Spoken::Pause(end) => {
                let ms = if *end {
                    t.sentence_pause_ms
                } else {
                    t.comma_pause_ms
                };
                let like = *frames.last().expect("lead-in frames");
                frames.extend(silence(ms, like));
                if *end {
                    sentence_start = i + 1;
                }
            }
            Spoken::Syllable(s) => {
                let next_pause = !matches!(items.get(i + 1), Some(Spoken::Syllable(_)));
                let stretch = if next_pause { t.final_lengthening } else { 1.0 };
                // Position in the sentence for declination.
                let len = items[sentence_start..]
                    .iter()
                    .position(|x| matches!(x, Spoken::Pause(true)))
                    .unwrap_or(items.len() - sentence_start)
                    .max(1);
                let pos = (i - sentence_start) as f64 / len as f64;
                let decl = t.declination[0] + pos * (t.declination[1] - t.declination[0]);
                let ini = rules::initial(params, s.onset, s.medial, s.nucleus);
                let mut fin = rules::final_part(params, s.nucleus, s.coda, s.tone, stretch);
                // The rhyme's end anticipates the next onset, as the tail units do.
                if let Some(Spoken::Syllable(n)) = items.get(i + 1) {
                    if let (false, Some(place)) = (s.coda.is_stop(), Place::of(n.onset)) {
                        rules::anticipate(params, &mut fin.frames, place);
                    }
                }
                let f0_start = fin.frames[0][P::F0 as usize];
                for mut f in ini.frames.into_iter().take_while(|_| true) {
                    f[P::F0 as usize] = f0_start * decl;
                    frames.push(f);
                }
                // The initial part's last frame is the steady state that the final starts with.
                frames.pop();
                for mut f in fin.frames {
                    f[P::F0 as usize] *= decl;
                    frames.push(f);
                }
            }
        }
    }
    let like = *frames.last().expect("lead-in frames");
    frames.extend(silence(150.0, like));
    to_i16(&render(params, &frames, seed).samples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Coda, Nucleus, Onset, Tone};
    use std::path::Path;

    pub(crate) fn params() -> VoiceParams {
        VoiceParams::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/northern/build"))
            .expect("voice parameters")
    }

    fn syl(onset: Onset, nucleus: Nucleus, coda: Coda, tone: Tone) -> Spoken {
        Spoken::Syllable(Syllable {
            onset,
            medial: false,
            nucleus,
            coda,
            tone,
        })
    }

    #[test]
    fn speaking_is_deterministic_finite_and_unclipped() {
        let p = params();
        let items = [
            syl(Onset::S, Nucleus::Oo, Coda::None, Tone::Sac),
            syl(Onset::C, Nucleus::A, Coda::None, Tone::Ngang),
            Spoken::Pause(false),
            syl(Onset::M, Nucleus::Aw, Coda::C, Tone::Sac),
            syl(Onset::Th, Nucleus::Uo, Coda::Ng, Tone::Nga),
            Spoken::Pause(true),
        ];
        let a = speak(&p, &items, 1);
        let b = speak(&p, &items, 1);
        assert_eq!(a, b);
        assert!(a.len() > 16000 / 2);
        let clipped = a.iter().filter(|s| s.unsigned_abs() >= 32767).count();
        assert_eq!(clipped, 0);
        let peak = a.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
        assert!(peak > 3000, "peak {peak}");
    }
}
