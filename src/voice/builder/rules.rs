//! Trajectory rules of the voice builder: phone targets → frame-by-frame synthesis
//! parameters, with formant transitions, coarticulation, bursts, codas and tone contours.
//!
//! Input: [`VoiceParams`] and the parts of a syllable. Output: [`Part`]s — sequences of
//! 5 ms [`Frame`]s — for the initial half (onset, medial, transition into the nucleus,
//! ending at the nucleus's first target: the join point) and the final half (from the join
//! point through the nucleus trajectory, the coda and the tone). Every parameter moves along
//! keyed trajectories, never by jumps larger than a consonant release needs.

use crate::text::{Coda, Nucleus, Onset, Tone};
use crate::voice::Place;

use super::phones::{CodaKind, Manner, VoiceParams};

/// The synthesis parameters of one frame, indexed by [`P`].
pub type Frame = [f64; NP];

/// Number of parameters per frame.
pub const NP: usize = 24;

/// Parameter indices of a [`Frame`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum P {
    /// Fundamental frequency (Hz).
    F0,
    /// Voicing amplitude (dB; ≤ 0 is off).
    Av,
    /// Aspiration into the cascade (dB).
    Ah,
    /// Frication into the parallel branch (dB).
    Af,
    /// Parallel gains of F2…F6 and the bypass, relative dB.
    N2,
    N3,
    N4,
    N5,
    N6,
    Nb,
    F1,
    F2,
    F3,
    F4,
    F5,
    B1,
    B2,
    B3,
    /// Nasal coupling 0–1 (separates the nasal zero from the nasal pole).
    Nasal,
    /// Nasal zero frequency at full coupling (Hz).
    Fnz,
    /// Open quotient, spectral tilt, creak.
    Oq,
    Tilt,
    Creak,
    /// Voicing offset (dB) for glottal dips and fades.
    Gain,
}

const SMOOTH: [P; 9] = [
    P::F1,
    P::F2,
    P::F3,
    P::F4,
    P::F5,
    P::B1,
    P::B2,
    P::B3,
    P::Fnz,
];

/// Per-parameter keyed trajectories over a stretch of time (ms).
#[derive(Debug, Clone)]
pub struct Tracks {
    keys: Vec<Vec<(f64, f64)>>,
}

impl Tracks {
    /// Tracks that start at the values of `base`.
    pub fn new(base: &Frame) -> Self {
        Tracks {
            keys: base.iter().map(|&v| vec![(0.0, v)]).collect(),
        }
    }

    /// Sets parameter `p` to `v` at time `t` (ms).
    pub fn key(&mut self, p: P, t: f64, v: f64) {
        self.keys[p as usize].push((t, v));
    }

    /// Holds `p` at its value at `t0` until `t0`, then moves it to `v` by `t1`.
    pub fn ramp(&mut self, p: P, t0: f64, t1: f64, v: f64) {
        let start = self.at(p, t0);
        self.key(p, t0, start);
        self.key(p, t1, v);
    }

    /// Sets a formant triple at `t`.
    pub fn formants(&mut self, t: f64, f: [f64; 3]) {
        self.key(P::F1, t, f[0]);
        self.key(P::F2, t, f[1]);
        self.key(P::F3, t, f[2]);
    }

    /// The value of `p` at time `t`.
    pub fn at(&self, p: P, t: f64) -> f64 {
        let mut keys = self.keys[p as usize].clone();
        keys.sort_by(|a, b| a.0.total_cmp(&b.0));
        interpolate(&keys, t, SMOOTH.contains(&p))
    }

    /// Samples the trajectories every `frame_ms` over `[0, len_ms)`.
    pub fn frames(&self, len_ms: f64, frame_ms: f64) -> Vec<Frame> {
        let n = (len_ms / frame_ms).round().max(1.0) as usize;
        let sorted: Vec<Vec<(f64, f64)>> = self
            .keys
            .iter()
            .map(|k| {
                let mut k = k.clone();
                k.sort_by(|a, b| a.0.total_cmp(&b.0));
                k
            })
            .collect();
        (0..n)
            .map(|i| {
                let t = i as f64 * frame_ms;
                let mut f = [0.0; NP];
                for (j, keys) in sorted.iter().enumerate() {
                    let smooth = SMOOTH.iter().any(|p| *p as usize == j);
                    f[j] = interpolate(keys, t, smooth);
                }
                f
            })
            .collect()
    }
}

fn interpolate(keys: &[(f64, f64)], t: f64, smooth: bool) -> f64 {
    // The last key at or before t, and the first after it.
    let after = keys.iter().position(|k| k.0 > t);
    match after {
        None => keys.last().map_or(0.0, |k| k.1),
        Some(0) => keys[0].1,
        Some(i) => {
            let (t0, v0) = keys[i - 1];
            let (t1, v1) = keys[i];
            let mut x = if t1 > t0 { (t - t0) / (t1 - t0) } else { 1.0 };
            if smooth {
                x = 0.5 - 0.5 * (std::f64::consts::PI * x).cos();
            }
            v0 + (v1 - v0) * x
        }
    }
}

/// A stretch of frames and where its inner boundary is (ms from its start).
#[derive(Debug, Clone)]
pub struct Part {
    pub frames: Vec<Frame>,
    /// Initial: where the vowel's voicing begins. Final: where the coda begins.
    pub boundary_ms: f64,
}

fn scaled(p: &VoiceParams, f: [f64; 3]) -> [f64; 3] {
    let s = p.global.formant_scale;
    [f[0] * s, f[1] * s, f[2] * s]
}

/// A consonant's F1–F3 (`locus`, before the formant scale) next to a vowel whose formants
/// are `vowel`. An F2 or F3 of 0 follows the vowel, as a velar's place does: F2 a little
/// above the vowel's, F3 the vowel's, or with `pinch` = [gap, most] drawn down to `gap` Hz
/// above that F2 but no more than `most` Hz below the vowel's (the velar pinch).
fn locus_near(
    p: &VoiceParams,
    locus: [f64; 3],
    vowel: [f64; 3],
    pinch: Option<[f64; 2]>,
) -> [f64; 3] {
    let s = p.global.formant_scale;
    let f2 = if locus[1] > 0.0 {
        locus[1] * s
    } else {
        (vowel[1] * 1.12).min(2300.0 * s)
    };
    let f3 = match (locus[2] > 0.0, pinch) {
        (true, _) => locus[2] * s,
        (false, None) => vowel[2],
        (false, Some([gap, most])) => (f2 + gap * s).max(vowel[2] - most * s).min(vowel[2]),
    };
    [locus[0] * s, f2, f3]
}

/// The frame of a nucleus's steady state at the joins: modal voice at the reference F0.
pub fn steady_frame(p: &VoiceParams, nucleus: Nucleus) -> Frame {
    let g = &p.global;
    let v = scaled(p, p.vowel(nucleus).f);
    let mut f = [0.0; NP];
    f[P::F0 as usize] = g.reference_f0;
    f[P::Av as usize] = g.vowel_av;
    f[P::Ah as usize] = g.vowel_ah;
    f[P::Af as usize] = 0.0;
    for (i, q) in [P::N2, P::N3, P::N4, P::N5, P::N6].into_iter().enumerate() {
        f[q as usize] = -60.0 + i as f64 * 0.0;
    }
    f[P::Nb as usize] = 0.0;
    f[P::F1 as usize] = v[0];
    f[P::F2 as usize] = v[1];
    f[P::F3 as usize] = v[2];
    f[P::F4 as usize] = g.f4;
    f[P::F5 as usize] = g.f5;
    f[P::B1 as usize] = g.bw[0];
    f[P::B2 as usize] = g.bw[1];
    f[P::B3 as usize] = g.bw[2];
    f[P::Nasal as usize] = 0.0;
    f[P::Fnz as usize] = g.nasal_pole;
    f[P::Oq as usize] = g.oq;
    f[P::Tilt as usize] = g.tilt;
    f[P::Creak as usize] = 0.0;
    f[P::Gain as usize] = 0.0;
    f
}

fn set_noise(tr: &mut Tracks, t: f64, spectrum: [f64; 6]) {
    for (q, v) in [P::N2, P::N3, P::N4, P::N5, P::N6, P::Nb]
        .into_iter()
        .zip(spectrum)
    {
        tr.key(q, t, v);
    }
}

/// The initial half of a syllable: onset, medial /w/, transition into the nucleus; the last
/// frame is the nucleus's steady state (F0 left at the reference).
pub fn initial(p: &VoiceParams, onset: Onset, medial: bool, nucleus: Nucleus) -> Part {
    let g = &p.global;
    let t = &p.timing;
    let o = p.onset(onset);
    let steady = steady_frame(p, nucleus);
    let vowel = scaled(p, p.vowel(nucleus).f);
    // The first target after the consonant: the /w/ glide or the vowel itself.
    let target = if medial { scaled(p, t.medial_f) } else { vowel };
    let locus = locus_near(p, o.locus, target, o.pinch);
    let pull = o.pull;
    let start = [
        locus[0] + pull * (target[0] - locus[0]),
        locus[1] + pull * (target[1] - locus[1]),
        locus[2] + pull * (target[2] - locus[2]),
    ];

    let mut base = steady;
    base[P::Av as usize] = 0.0;
    base[P::Ah as usize] = 0.0;
    let mut tr = Tracks::new(&base);
    let c = o.closure_ms;
    let r = o.release_ms;
    tr.formants(0.0, locus);
    // When the voicing of the vowel begins, and when the formants leave the constriction.
    let (voice_on, release) = match o.manner {
        Manner::Stop | Manner::Affricate => {
            if o.av_db > 0.0 {
                // Voice bar of the implosives: weak, low, muffled.
                tr.key(P::Av, 0.0, 0.0);
                tr.key(P::Av, 10.0, o.av_db);
                tr.key(P::Av, c - 3.0, o.av_db + 4.0);
                tr.key(P::Tilt, 0.0, 0.6);
                tr.key(P::Tilt, c, 0.6);
                tr.key(P::Tilt, c + 5.0, g.tilt);
                tr.key(P::F1, c - 0.5, 200.0);
                tr.key(P::F1, 0.0, 200.0);
            }
            let burst = o.burst_noise.unwrap_or(o.noise);
            set_noise(&mut tr, 0.0, burst);
            set_noise(&mut tr, c + o.burst_ms, burst);
            tr.key(P::Af, c - 0.5, 0.0);
            tr.key(P::Af, c, o.burst_db);
            if o.manner == Manner::Affricate {
                set_noise(&mut tr, c + o.burst_ms + 5.0, o.noise);
                tr.key(P::Af, c + o.burst_ms, o.noise_db);
                tr.key(P::Af, c + r - 8.0, o.noise_db);
                tr.key(P::Af, c + r + 2.0, 0.0);
            } else {
                tr.key(P::Af, c + o.burst_ms, o.burst_db - 20.0);
                tr.key(P::Af, c + o.burst_ms + 4.0, 0.0);
            }
            if o.asp_db > 0.0 && r > 0.0 {
                // An open glottis damps F1 during aspiration.
                tr.key(P::B1, c, g.aspiration_b1);
                tr.key(P::B1, c + r, g.aspiration_b1);
                tr.key(P::B1, c + r + 10.0, g.bw[0]);
                tr.key(P::Ah, c, 0.0);
                tr.key(P::Ah, c + 1.0, o.asp_db);
                tr.key(P::Ah, c + r, o.asp_db - 3.0);
                tr.key(P::Ah, c + r + 5.0, g.vowel_ah);
            }
            (c + r, c)
        }
        Manner::Fricative => {
            set_noise(&mut tr, 0.0, o.noise);
            tr.key(P::Af, 0.0, 0.0);
            tr.key(P::Af, 12.0, o.noise_db);
            tr.key(P::Af, c - 8.0, o.noise_db);
            tr.key(P::Af, c + 4.0, 0.0);
            if o.av_db > 0.0 {
                tr.key(P::Av, 0.0, 0.0);
                tr.key(P::Av, 10.0, o.av_db);
                tr.key(P::Av, c - 2.0, o.av_db);
                tr.key(P::Tilt, 0.0, 0.5);
                tr.key(P::Tilt, c, 0.5);
                tr.key(P::Tilt, c + 5.0, g.tilt);
            }
            (c, c)
        }
        Manner::Aspirate => {
            tr.formants(0.0, target);
            tr.key(P::Ah, 0.0, 0.0);
            tr.key(P::Ah, 10.0, o.asp_db);
            tr.key(P::Ah, c, o.asp_db);
            tr.key(P::Ah, c + 8.0, g.vowel_ah);
            tr.key(P::Oq, c, 0.75);
            tr.key(P::Oq, c + 25.0, g.oq);
            tr.key(P::B1, 0.0, g.aspiration_b1);
            tr.key(P::B1, c, g.aspiration_b1);
            tr.key(P::B1, c + 10.0, g.bw[0]);
            (c, c)
        }
        Manner::Nasal => {
            tr.key(P::Av, 0.0, 0.0);
            tr.key(P::Av, 8.0, o.av_db);
            tr.key(P::Av, c - 1.0, o.av_db);
            tr.key(P::Nasal, 0.0, 1.0);
            // The velum closes slowly: the vowel's start stays nasalized.
            let lower = g.nasal_release_ms;
            tr.key(P::Nasal, c - 1.0, 1.0);
            tr.key(P::Nasal, c + 2.0, 0.5);
            tr.key(P::Nasal, c + lower, 0.0);
            tr.key(P::Fnz, 0.0, o.nasal_zero);
            tr.key(P::Fnz, c + lower, o.nasal_zero);
            // Murmur: the oral cavity is closed, its upper formants damped.
            for (q, bw) in [
                (P::B1, 120.0),
                (P::B2, g.murmur_bw[0]),
                (P::B3, g.murmur_bw[1]),
            ] {
                tr.key(q, 0.0, bw);
                tr.key(q, c, bw);
            }
            tr.key(P::B1, c + 15.0, g.bw[0]);
            tr.key(P::B2, c + 15.0, g.bw[1]);
            tr.key(P::B3, c + 15.0, g.bw[2]);
            (c, c)
        }
        Manner::Lateral => {
            tr.key(P::Av, 0.0, 0.0);
            tr.key(P::Av, 8.0, o.av_db);
            tr.key(P::Av, c - 1.0, o.av_db);
            (c, c)
        }
        Manner::Glottal => {
            // A glottal stop: `closure_ms` of silence, then a creaky attack.
            tr.formants(0.0, target);
            tr.key(P::Av, 0.0, 0.0);
            tr.key(P::Av, c, 0.0);
            tr.key(P::Av, c + 12.0, g.vowel_av - 6.0);
            tr.key(P::Creak, 0.0, 0.8);
            tr.key(P::Creak, c, 0.8);
            tr.key(P::Creak, c + 25.0, 0.0);
            (c, c)
        }
    };
    // Voicing of the vowel (or continuing sonorant voicing) and the formant transition.
    tr.key(P::Av, voice_on, tr.at(P::Av, voice_on - 0.01).max(0.0));
    tr.key(P::Av, voice_on + 1.0, g.vowel_av - 4.0);
    tr.key(P::Av, voice_on + 15.0, g.vowel_av);
    if !matches!(o.manner, Manner::Stop) || o.asp_db <= 0.0 {
        tr.key(P::Ah, voice_on, g.vowel_ah);
    }
    let moves = !matches!(o.manner, Manner::Aspirate | Manner::Glottal);
    let mut join = if moves {
        tr.formants(release - 0.5, locus);
        tr.formants(release, start);
        tr.formants(release + o.trans_ms, target);
        release + o.trans_ms
    } else {
        voice_on + 20.0
    };
    if medial {
        tr.formants(join + t.medial_hold_ms, target);
        join += t.medial_hold_ms + t.medial_trans_ms;
        tr.formants(join, vowel);
    }
    let join = join.max(voice_on + 25.0);
    tr.formants(join, vowel);
    // Everything else settles into the steady state by the join.
    for q in [
        P::Av,
        P::Ah,
        P::Af,
        P::Nasal,
        P::Oq,
        P::Tilt,
        P::Creak,
        P::B1,
        P::B2,
        P::B3,
    ] {
        tr.key(q, join, steady[q as usize]);
    }
    let mut frames = tr.frames(join, g.frame_ms);
    frames.push(steady);
    Part {
        frames,
        boundary_ms: voice_on,
    }
}

/// Whether the lips close a velar coda after this nucleus (ông, úc: ŋ͡m, k͡p).
fn rounded(n: Nucleus) -> bool {
    matches!(n, Nucleus::O | Nucleus::Oo | Nucleus::U)
}

/// The final half of a syllable from the join point: nucleus trajectory, coda, the tone's
/// F0 contour and phonation. `stretch` lengthens it (phrase-final lengthening). The first
/// frame is the nucleus's steady state except for F0.
pub fn final_part(p: &VoiceParams, nucleus: Nucleus, coda: Coda, tone: Tone, stretch: f64) -> Part {
    let g = &p.global;
    let t = &p.timing;
    let c = p.coda(coda);
    let tp = p.tone(tone, coda.is_stop());
    let v = p.vowel(nucleus);
    let steady = steady_frame(p, nucleus);
    let first = scaled(p, v.f);
    let mut tr = Tracks::new(&steady);

    let base = match c.kind {
        CodaKind::Open => t.open_ms,
        CodaKind::Glide | CodaKind::Nasal => t.sonorant_ms,
        CodaKind::Stop => t.stop_ms,
    };
    let len = base * tp.dur * stretch;
    // "anh", "ach": the parser's e + nh/ch, a short fronted vowel before the palatal.
    let fronted = c.front_low_vowels.is_some() && nucleus == Nucleus::E;
    let short = v.short || fronted || v.short_before.contains(&coda);
    let share = if short {
        t.short_vowel_share
    } else {
        t.vowel_share
    };
    // Where the coda transition begins, and where voicing ends.
    let (coda_start, voice_end) = match c.kind {
        CodaKind::Open => (len, len),
        CodaKind::Glide | CodaKind::Nasal => (len * share, len),
        CodaKind::Stop => {
            // A short vowel (ăt, ấp) is voiced for short / long share of a long vowel's
            // time, its ratio before sonorant codas too; the silent closure takes the rest.
            let closure = t.stop_closure_ms;
            let long = (len - c.trans_ms - closure).max(len * 0.3);
            let cs = if short {
                long * share / t.vowel_share
            } else {
                long
            };
            (cs, (cs + c.trans_ms).min(len - closure * 0.5))
        }
    };
    // The nucleus: a fronted vowel before palatal codas, a glide for diphthongs.
    let mut last = first;
    if let (Some(front), true) = (c.front_low_vowels, fronted) {
        let fr = [
            front[0] * g.formant_scale,
            front[1] * g.formant_scale,
            first[2],
        ];
        tr.formants(0.0, first);
        tr.formants(coda_start.min(40.0), fr);
        last = fr;
    } else if let Some(to) = v.to {
        let to = scaled(p, to);
        let end = coda_start.min(len);
        let [from, reach] = t.diphthong_glide;
        tr.formants(end * from, first);
        tr.formants(end * reach, to);
        last = to;
    }
    tr.formants(coda_start, last);

    // The coda.
    let lab = rounded(nucleus) && matches!(coda, Coda::Ng | Coda::C);
    let locus = scaled(
        p,
        if lab {
            c.round_locus.unwrap_or(c.locus)
        } else {
            c.locus
        },
    );
    let reach = c.reach;
    let toward = [
        last[0] + reach * (locus[0] - last[0]),
        last[1] + reach * (locus[1] - last[1]),
        last[2] + reach * (locus[2] - last[2]),
    ];
    let coda_end_tr = (coda_start + c.trans_ms).min(len);
    match c.kind {
        CodaKind::Open => {}
        CodaKind::Glide => {
            tr.formants(coda_end_tr, toward);
        }
        CodaKind::Nasal => {
            tr.formants(coda_end_tr, toward);
            tr.key(P::F1, coda_end_tr, locus[0]);
            let zero = if lab {
                c.round_nasal_zero.unwrap_or(c.nasal_zero)
            } else {
                c.nasal_zero
            };
            tr.key(P::Fnz, coda_start, zero);
            tr.key(P::Nasal, coda_start - 20.0, 0.0);
            tr.key(P::Nasal, coda_end_tr - 10.0, 0.4);
            tr.key(P::Nasal, coda_end_tr, 1.0);
            tr.key(P::Av, coda_end_tr - 10.0, g.vowel_av);
            tr.key(P::Av, coda_end_tr, c.murmur_db);
            for (q, bw0, bw) in [
                (P::B1, g.bw[0], 120.0),
                (P::B2, g.bw[1], g.murmur_bw[0]),
                (P::B3, g.bw[2], g.murmur_bw[1]),
            ] {
                tr.key(q, coda_end_tr - 10.0, bw0);
                tr.key(q, coda_end_tr, bw);
            }
            tr.key(P::Av, len - g.fade_ms, c.murmur_db);
        }
        CodaKind::Stop => {
            tr.formants(voice_end, toward);
            tr.key(P::F1, voice_end, locus[0]);
            tr.key(P::Av, voice_end - 5.0, g.vowel_av - 3.0);
            tr.key(P::Av, voice_end, 0.0);
            tr.key(P::Ah, voice_end - 5.0, g.vowel_ah);
            tr.key(P::Ah, voice_end, 0.0);
        }
    }
    if c.kind != CodaKind::Stop {
        let fade_from = (len - g.fade_ms).max(coda_end_tr.min(len * 0.7));
        let level = tr.at(P::Av, fade_from);
        tr.key(P::Av, fade_from, level);
        tr.key(P::Av, len, 0.0);
        tr.key(P::Ah, fade_from, g.vowel_ah);
        tr.key(P::Ah, len, 0.0);
    }

    // The tone: F0 contour over the voiced rhyme, and its phonation.
    let span = voice_end.max(1.0);
    for &[x, ratio] in &tp.f0 {
        tr.key(P::F0, x * span, ratio * g.reference_f0);
    }
    let onset_ms = 20.0_f64.min(span * 0.2);
    if tp.breathy > 0.0 {
        let b = tp.breathy;
        tr.key(P::Oq, onset_ms, g.oq + b * (tp.breathy_oq - g.oq));
        tr.key(P::Tilt, onset_ms, g.tilt + b * (tp.breathy_tilt - g.tilt));
        tr.key(
            P::Ah,
            onset_ms,
            g.vowel_ah + b * (tp.breathy_ah - g.vowel_ah),
        );
        if c.kind != CodaKind::Stop {
            tr.key(P::Ah, len - g.fade_ms, tp.breathy_ah);
        }
    }
    for &[a, b] in &tp.creak {
        let (a, b) = (a * span, b * span);
        tr.key(P::Creak, (a - 15.0).max(0.0), 0.0);
        tr.key(P::Creak, a, 1.0);
        tr.key(P::Creak, b, 1.0);
        tr.key(P::Creak, (b + 15.0).min(len), 0.0);
    }
    for &[a, b, drop] in &tp.dip {
        let (a, b) = (a * span, b * span);
        let mid = 0.5 * (a + b);
        tr.key(P::Gain, a, 0.0);
        tr.key(P::Gain, mid, -drop);
        tr.key(P::Gain, b, 0.0);
    }
    if tp.end_drop_db > 0.0 {
        tr.key(P::Gain, span * 0.7, 0.0);
        tr.key(P::Gain, span, -tp.end_drop_db);
    }
    let mut frames = tr.frames(len, g.frame_ms);
    // The syllable's intensity declines over its voiced rhyme, on top of the tone's own
    // gain changes (ngã's dip, nặng's abrupt end).
    if g.rhyme_decline_db > 0.0 {
        for (i, f) in frames.iter_mut().enumerate() {
            let x = (i as f64 * g.frame_ms / span).min(1.0);
            f[P::Gain as usize] -= g.rhyme_decline_db * x;
        }
    }
    Part {
        frames,
        boundary_ms: coda_start,
    }
}

/// Moves the end of a final part's frames toward the locus of an onset at `place` (the next
/// syllable's), as [`super::phones::Anticipation`] says: over the last `ms`, F1–F3 go linearly
/// from their own values to `reach` of the way to the locus.
pub fn anticipate(p: &VoiceParams, frames: &mut [Frame], place: Place) {
    let a = &p.anticipation;
    let locus = a.locus(place);
    let n = frames.len();
    let k = ((a.ms / p.global.frame_ms).round() as usize).clamp(1, n.max(1));
    for (j, f) in frames.iter_mut().enumerate().skip(n.saturating_sub(k)) {
        let w = a.reach * (j + k + 1 - n) as f64 / k as f64;
        for (q, target) in [P::F1, P::F2, P::F3].into_iter().zip(locus) {
            if target > 0.0 {
                let v = &mut f[q as usize];
                *v += w * (target * p.global.formant_scale - *v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anticipation_moves_only_the_end_toward_the_place() {
        let p = crate::voice::builder::tests::params();
        let part = final_part(&p, Nucleus::A, Coda::None, Tone::Ngang, 1.0);
        let f2 = |frames: &[Frame], i: usize| frames[i][P::F2 as usize];
        let n = part.frames.len();
        let k = (p.anticipation.ms / p.global.frame_ms).round() as usize;
        let mut labial = part.frames.clone();
        anticipate(&p, &mut labial, Place::Labial);
        let mut velar = part.frames.clone();
        anticipate(&p, &mut velar, Place::Velar);
        // Untouched before the last `ms`.
        assert_eq!(&labial[..n - k], &part.frames[..n - k]);
        // Labial: F2 falls toward 900 Hz (formant-scaled), `reach` of the way at the end.
        let (a, l) = (
            f2(&part.frames, n - 1),
            p.anticipation.labial[1] * p.global.formant_scale,
        );
        let want = a + p.anticipation.reach * (l - a);
        assert!((f2(&labial, n - 1) - want).abs() < 1.0);
        assert!(f2(&labial, n - 1) < f2(&labial, n - k));
        // Velar keeps the vowel's own F2 and lowers F1.
        assert_eq!(f2(&velar, n - 1), a);
        assert!(velar[n - 1][P::F1 as usize] < part.frames[n - 1][P::F1 as usize]);
    }

    #[test]
    fn a_velar_locus_follows_the_vowel_and_pinches_f3_toward_f2() {
        let p = crate::voice::builder::tests::params();
        let a = scaled(&p, [820.0, 1550.0, 2500.0]);
        let u = scaled(&p, [320.0, 750.0, 2300.0]);
        let velar = [250.0, 0.0, 0.0];
        let plain = locus_near(&p, velar, a, None);
        assert!(plain[1] > a[1]);
        assert_eq!(plain[2], a[2]);
        // F3 starts `gap` above F2 where that is within `most` of the vowel's F3...
        let s = p.global.formant_scale;
        let pinched = locus_near(&p, velar, a, Some([400.0, 400.0]));
        assert_eq!(pinched[1], plain[1]);
        assert!((pinched[2] - (pinched[1] + 400.0 * s)).abs() < 1e-9);
        assert!(pinched[2] < a[2]);
        // ...and no more than `most` below it after a back vowel, whose F2 is far from F3.
        let back = locus_near(&p, velar, u, Some([400.0, 400.0]));
        assert!((back[2] - (u[2] - 400.0 * s)).abs() < 1e-9);
        // A locus given in full is kept.
        let labial = locus_near(&p, [250.0, 900.0, 2200.0], a, Some([400.0, 400.0]));
        assert_eq!(labial, scaled(&p, [250.0, 900.0, 2200.0]));
    }

    #[test]
    fn a_short_vowel_before_a_stop_leaves_more_of_the_rhyme_to_the_closure() {
        let p = crate::voice::builder::tests::params();
        let t = &p.timing;
        let long = final_part(&p, Nucleus::A, Coda::T, Tone::Sac, 1.0);
        let short = final_part(&p, Nucleus::Aw, Coda::T, Tone::Sac, 1.0);
        // The same rhyme length...
        assert_eq!(long.frames.len(), short.frames.len());
        // ...with the vowel's part before the coda transition shortened as before sonorants.
        let want = long.boundary_ms * t.short_vowel_share / t.vowel_share;
        assert!((short.boundary_ms - want).abs() < 1e-9);
        assert!(short.boundary_ms < long.boundary_ms);
        let voiced = |part: &Part| {
            part.frames
                .iter()
                .filter(|f| f[P::Av as usize] > 0.0)
                .count()
        };
        assert!(voiced(&short) < voiced(&long));
    }

    #[test]
    fn vowels_are_short_before_the_codas_their_voice_names() {
        let p = crate::voice::builder::tests::params();
        let t = &p.timing;
        let ong = final_part(&p, Nucleus::Oo, Coda::Ng, Tone::Ngang, 1.0);
        let om = final_part(&p, Nucleus::Oo, Coda::M, Tone::Ngang, 1.0);
        let ang = final_part(&p, Nucleus::A, Coda::Ng, Tone::Ngang, 1.0);
        assert_eq!(ong.frames.len(), om.frames.len());
        // ô before ng is as short as ă before it; ô before m and a before ng keep a long
        // vowel's share.
        let want = om.boundary_ms * t.short_vowel_share / t.vowel_share;
        assert!((ong.boundary_ms - want).abs() < 1e-9);
        assert_eq!(ang.boundary_ms, om.boundary_ms);
        let uc = final_part(&p, Nucleus::U, Coda::C, Tone::Sac, 1.0);
        let ut = final_part(&p, Nucleus::U, Coda::T, Tone::Sac, 1.0);
        assert!(uc.boundary_ms < ut.boundary_ms);
        // i before the palatal nh (inh), not before n.
        let inh = final_part(&p, Nucleus::I, Coda::Nh, Tone::Ngang, 1.0);
        let in_ = final_part(&p, Nucleus::I, Coda::N, Tone::Ngang, 1.0);
        assert!((inh.boundary_ms - want).abs() < 1e-9);
        assert_eq!(in_.boundary_ms, om.boundary_ms);
    }

    #[test]
    fn voicing_declines_over_the_rhyme_by_the_voices_setting() {
        let mut p = crate::voice::builder::tests::params();
        let gain = |p: &VoiceParams, tone: Tone| -> Vec<f64> {
            let part = final_part(p, Nucleus::A, Coda::None, tone, 1.0);
            part.frames.iter().map(|f| f[P::Gain as usize]).collect()
        };
        p.global.rhyme_decline_db = 0.0;
        let level = gain(&p, Tone::Ngang);
        assert!(level.iter().all(|&g| g == 0.0), "ngang keeps its level");
        p.global.rhyme_decline_db = 6.0;
        let falling = gain(&p, Tone::Ngang);
        assert_eq!(falling[0], 0.0, "the nucleus starts at full level");
        assert!(
            falling.windows(2).all(|w| w[1] <= w[0]),
            "never rises again"
        );
        let end = *falling.last().expect("frames");
        // The last frame starts one frame before the end of voicing.
        assert!((-6.0..-5.5).contains(&end), "ends {end} dB down");
        // On top of a tone's own gain: ngã keeps its dip, the slope added to it.
        let nga = gain(&p, Tone::Nga);
        p.global.rhyme_decline_db = 0.0;
        let nga_level = gain(&p, Tone::Nga);
        assert!(nga_level.iter().any(|&g| g < -5.0), "ngã has a dip");
        let slope: Vec<f64> = nga.iter().zip(&nga_level).map(|(a, b)| a - b).collect();
        assert_eq!(slope[0], 0.0);
        assert!(slope.windows(2).all(|w| w[1] <= w[0]));
        assert!(slope[slope.len() - 1] < -5.5);
    }

    #[test]
    fn a_vowel_initial_syllable_starts_with_a_silent_glottal_stop() {
        let p = crate::voice::builder::tests::params();
        let c = p.onset(Onset::None).closure_ms;
        assert!(c > 0.0, "the voice's glottal stop has a closure");
        let part = initial(&p, Onset::None, false, Nucleus::A);
        let av = |ms: f64| part.frames[(ms / p.global.frame_ms) as usize][P::Av as usize];
        for ms in [0.0, c * 0.5, c - p.global.frame_ms] {
            assert_eq!(av(ms), 0.0, "voiced at {ms} ms, inside the closure");
        }
        assert!(av(c + 15.0) > 40.0, "the vowel has begun after the closure");
        assert_eq!(part.boundary_ms, c);
    }

    #[test]
    fn interpolation_holds_the_ends_and_passes_through_keys() {
        let keys = [(0.0, 1.0), (10.0, 3.0)];
        assert_eq!(interpolate(&keys, -5.0, false), 1.0);
        assert_eq!(interpolate(&keys, 5.0, false), 2.0);
        assert_eq!(interpolate(&keys, 5.0, true), 2.0);
        assert_eq!(interpolate(&keys, 20.0, true), 3.0);
    }
}
