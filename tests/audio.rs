//! Audio properties measured from the engine's output: sample rate and length, no NaN or
//! clipping, silence at pauses, continuity at unit joins, word timings, rate, and each tone's
//! pitch contour moving the right way (by an autocorrelation pitch tracker written here).
//!
//! Every property is checked on the synthetic voice and on the built voice in
//! `voices/northern` (when it is there).

use std::sync::Arc;

use loa::synth::{self, Params, PhraseAudio};
use loa::text::{
    Coda, Document, Nucleus, Onset, Pause, Phrase, Sentence, Span, Syllable, Token, TokenKind, Tone,
};
use loa::voice::{synthetic, Voice};

fn voices() -> Vec<Arc<Voice>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/northern");
    let mut out = vec![Arc::new(synthetic::voice())];
    if dir.join("units.bin").is_file() {
        out.push(Arc::new(
            Voice::load(&dir).unwrap_or_else(|e| panic!("{e}")),
        ));
    }
    out
}

/// A test run once per voice, naming the voice when it fails.
macro_rules! each_voice {
    ($($name:ident),* $(,)?) => {
        mod each_voice {
            $(
                #[test]
                fn $name() {
                    for v in super::voices() {
                        eprintln!("voice `{}`", v.info.id);
                        super::$name(&v);
                    }
                }
            )*
        }
    };
}

each_voice!(
    output_is_finite_unclipped_and_as_long_as_the_prosody_says,
    pauses_are_silent_and_ordered,
    word_timings_are_ordered_and_inside_the_phrase,
    faster_rates_are_shorter,
    fast_speech_keeps_the_pitch_and_shortens_closures_with_the_tempo,
    joins_have_no_jumps_beyond_the_units_own,
    volume_scales_and_zero_is_silence,
    each_tone_moves_the_right_way,
    a_tone_starts_near_its_own_pitch_after_a_far_one,
    voicing_starts_higher_after_a_voiceless_onset,
    pitch_shift_moves_the_whole_contour,
    dropping_the_stream_cancels_between_phrases,
    empty_documents_and_silent_tokens_give_no_speech,
);

fn syl(onset: Onset, nucleus: Nucleus, coda: Coda, tone: Tone) -> Syllable {
    Syllable {
        onset,
        medial: false,
        nucleus,
        coda,
        tone,
    }
}

/// A document of sentences, each a list of phrases (syllables, one token each, and a pause).
fn doc(sentences: &[&[(&[Syllable], Pause)]]) -> Document {
    let mut at = 0;
    let mut out = Vec::new();
    for phrases in sentences {
        let s0 = at;
        let mut ps = Vec::new();
        for (syls, pause) in phrases.iter() {
            let p0 = at;
            let tokens = syls
                .iter()
                .map(|s| {
                    at += 4;
                    Token {
                        span: Span::new(at - 4, at - 1),
                        kind: TokenKind::Word,
                        spoken: vec!["x".into()],
                        syllables: vec![*s],
                    }
                })
                .collect();
            ps.push(Phrase {
                span: Span::new(p0, at),
                tokens,
                pause: *pause,
                prosody: Default::default(),
            });
        }
        out.push(Sentence {
            span: Span::new(s0, at),
            phrases: ps,
        });
    }
    Document { sentences: out }
}

fn render(voice: &Arc<Voice>, d: Document, params: Params) -> Vec<PhraseAudio> {
    synth::stream(voice.clone(), d, params).collect()
}

const BA: Syllable = Syllable {
    onset: Onset::B,
    medial: false,
    nucleus: Nucleus::A,
    coda: Coda::None,
    tone: Tone::Ngang,
};

fn sentence_of_many() -> Document {
    let a = [
        syl(Onset::M, Nucleus::A, Coda::N, Tone::Sac),
        syl(Onset::T, Nucleus::Oo, Coda::Ng, Tone::Huyen),
        syl(Onset::Ch, Nucleus::Ie, Coda::T, Tone::Nang),
        syl(Onset::L, Nucleus::U, Coda::I, Tone::Hoi),
    ];
    let b = [
        syl(Onset::Nh, Nucleus::E, Coda::None, Tone::Nga),
        syl(Onset::Kh, Nucleus::Uow, Coda::C, Tone::Sac),
        BA,
    ];
    doc(&[
        &[(&a, Pause::Comma), (&b, Pause::Sentence)],
        &[(&a, Pause::Paragraph)],
    ])
}

fn output_is_finite_unclipped_and_as_long_as_the_prosody_says(v: &Arc<Voice>) {
    assert!(v.info.sample_rate >= 8000);
    let phrases = render(v, sentence_of_many(), Params::default());
    assert_eq!(phrases.len(), 3);
    let sr = v.info.sample_rate as f32;
    for p in &phrases {
        assert!(p.samples.iter().all(|&s| s.abs() < i16::MAX), "clipped");
        let speech = p.words.last().unwrap().end;
        // 3-4 syllables of 150-320 ms each.
        let secs = speech as f32 / sr;
        let n = p.words.len() as f32;
        assert!(
            secs > n * 0.13 && secs < n * 0.35,
            "{n} syllables last {secs} s"
        );
        // Loud enough to be speech.
        let peak = p.samples[..speech].iter().map(|s| s.unsigned_abs()).max();
        assert!(peak.unwrap() > 2000);
    }
}

fn pauses_are_silent_and_ordered(v: &Arc<Voice>) {
    let phrases = render(v, sentence_of_many(), Params::default());
    let sr = v.info.sample_rate as f32;
    let pause_of = |p: &PhraseAudio| {
        let speech = p.words.last().unwrap().end;
        assert!(
            p.samples[speech..].iter().all(|&s| s == 0),
            "pause not silent"
        );
        (p.samples.len() - speech) as f32 / sr
    };
    let (comma, sentence, paragraph) = (
        pause_of(&phrases[0]),
        pause_of(&phrases[1]),
        pause_of(&phrases[2]),
    );
    assert!((0.15..0.3).contains(&comma), "{comma}");
    assert!(comma < sentence && sentence < paragraph);
    // At 3× pauses shrink, but stay audible.
    let fast = render(v, sentence_of_many(), Params::new(3.0, 0.0, 1.0).unwrap());
    let c3 = pause_of(&fast[0]);
    assert!(c3 >= 0.06 && c3 < comma, "{c3}");
}

fn word_timings_are_ordered_and_inside_the_phrase(v: &Arc<Voice>) {
    let onset = (synth::prosody::SENTENCE_ONSET * v.info.sample_rate as f32) as usize;
    // Phrases: comma, sentence end | paragraph end; sentences start after a short silence.
    for (i, p) in render(v, sentence_of_many(), Params::default())
        .into_iter()
        .enumerate()
    {
        let mut last_end = 0;
        for (i, w) in p.words.iter().enumerate() {
            assert!(w.start < w.end, "word {i} empty");
            // Neighbours overlap only by the short cross-fade.
            assert!(w.start + 100 >= last_end);
            assert!(w.end <= p.samples.len());
            last_end = w.end;
        }
        let sentence_initial = i != 1;
        let first = p.words[0].start;
        assert_eq!(first, if sentence_initial { onset } else { 0 });
        assert!(p.samples[..first].iter().all(|&s| s == 0));
    }
}

fn faster_rates_are_shorter(v: &Arc<Voice>) {
    let len = |rate| {
        render(v, sentence_of_many(), Params::new(rate, 0.0, 1.0).unwrap())
            .iter()
            .map(|p| p.words.last().unwrap().end)
            .sum::<usize>() as f32
    };
    let (x1, x2, x3) = (len(1.0), len(2.0), len(3.0));
    assert!(x2 < 0.6 * x1 && x2 > 0.5 * x1, "{x1} {x2}");
    assert!(x3 < 0.42 * x1 && x3 > 0.33 * x1, "{x1} {x3}");
    let slow = len(0.5);
    assert!(slow > 1.8 * x1);
}

fn fast_speech_keeps_the_pitch_and_shortens_closures_with_the_tempo(v: &Arc<Voice>) {
    let sr = v.info.sample_rate as f32;
    let onset = (synth::prosody::SENTENCE_ONSET * sr) as usize;
    let ta = syl(Onset::T, Nucleus::A, Coda::None, Tone::Ngang);
    let d = || doc(&[&[(&[ta, ta], Pause::Sentence)]]);
    let speech = |rate| {
        let p = render(v, d(), Params::new(rate, 0.0, 1.0).unwrap()).remove(0);
        p.samples[onset..p.words[1].end].to_vec()
    };
    let (s1, s2) = (speech(1.0), speech(2.0));
    // Silent samples between the sentence's onset and the t's burst.
    let closure = |x: &[i16]| {
        x.iter()
            .position(|s| s.unsigned_abs() > synth::join::SILENT)
            .unwrap() as f32
    };
    let (c1, c2) = (closure(&s1), closure(&s2));
    let tempo = synth::prosody::tempo(2.0);
    eprintln!("closure {c1} samples at 1×, {c2} at 2× (tempo {tempo})");
    // Within a segment of where the tempo puts it.
    let segment = synth::tempo::SEGMENT * sr;
    assert!((c2 - c1 / tempo).abs() <= segment, "{c1} {c2}");
    let ratio = s1.len() as f32 / s2.len() as f32;
    assert!((ratio - tempo).abs() < 0.1, "{ratio} against {tempo}");
    // The pitch is the voice's own at both speeds (the median over the voiced frames).
    let median = |x: &[i16]| {
        let mut f: Vec<f32> = pitch_track(x, v.info.sample_rate)
            .into_iter()
            .flatten()
            .collect();
        f.sort_by(f32::total_cmp);
        f[f.len() / 2]
    };
    let (f1, f2) = (median(&s1), median(&s2));
    assert!((f2 / f1 - 1.0).abs() < 0.08, "{f1} Hz at 1×, {f2} Hz at 2×");
}

fn joins_have_no_jumps_beyond_the_units_own(v: &Arc<Voice>) {
    // The largest sample-to-sample step inside any unit bounds what the joins may add.
    let own = v
        .inventory
        .units
        .iter()
        .flat_map(|u| u.samples.windows(2))
        .map(|w| (i32::from(w[1]) - i32::from(w[0])).abs())
        .max()
        .unwrap();
    for phrase in render(v, sentence_of_many(), Params::default()) {
        let jump = phrase
            .samples
            .windows(2)
            .map(|w| (i32::from(w[1]) - i32::from(w[0])).abs())
            .max()
            .unwrap();
        assert!(
            jump as f32 <= 1.2 * own as f32,
            "jump {jump} vs units' own {own}"
        );
    }
}

fn volume_scales_and_zero_is_silence(v: &Arc<Voice>) {
    let d = || doc(&[&[(&[BA, BA], Pause::Sentence)]]);
    let peak = |vol| {
        render(v, d(), Params::new(1.0, 0.0, vol).unwrap())[0]
            .samples
            .iter()
            .map(|s| s.unsigned_abs())
            .max()
            .unwrap()
    };
    assert_eq!(peak(0.0), 0);
    let (half, one) = (peak(0.5) as f32, peak(1.0) as f32);
    assert!((half / one - 0.5).abs() < 0.02, "{half} {one}");
    assert!(peak(2.0) < i16::MAX as u16);
}

/// F0 (Hz) by normalized autocorrelation over 30 ms frames every 10 ms; None when unvoiced.
fn pitch_track(x: &[i16], sr: u32) -> Vec<Option<f32>> {
    let frame = (sr as usize * 30) / 1000;
    let hop = sr as usize / 100;
    let (min_lag, max_lag) = (sr as usize / 300, sr as usize / 60);
    let mut out = Vec::new();
    let mut start = 0;
    while start + frame + max_lag <= x.len() {
        let f: Vec<f32> = x[start..start + frame + max_lag]
            .iter()
            .map(|&s| f32::from(s))
            .collect();
        let energy: f32 = f[..frame].iter().map(|v| v * v).sum();
        let r: Vec<f32> = (min_lag..=max_lag)
            .map(|lag| {
                let (mut c, mut e2) = (0.0f32, 0.0f32);
                for i in 0..frame {
                    c += f[i] * f[i + lag];
                    e2 += f[i + lag] * f[i + lag];
                }
                c / (energy * e2).sqrt().max(1.0)
            })
            .collect();
        let top = r.iter().copied().fold(0.0f32, f32::max);
        // The first local peak close to the best one: avoids octave errors (period doubling).
        let pick = (1..r.len() - 1)
            .find(|&i| r[i] >= 0.9 * top && r[i] >= r[i - 1] && r[i] >= r[i + 1])
            .unwrap_or(0);
        let best = (r[pick], min_lag + pick);
        let loud = energy / frame as f32 > 500.0 * 500.0;
        out.push((loud && best.0 > 0.45).then(|| sr as f32 / best.1 as f32));
        start += hop;
    }
    out
}

/// The voiced F0 track of one syllable spoken alone, from its vowel on.
fn tone_track(v: &Arc<Voice>, tone: Tone) -> Vec<f32> {
    let s = syl(Onset::M, Nucleus::A, Coda::None, tone);
    let p = &render(
        &v.clone(),
        doc(&[&[(&[s], Pause::Sentence)]]),
        Params::default(),
    )[0];
    let speech = &p.samples[..p.words[0].end];
    pitch_track(speech, v.info.sample_rate)
        .into_iter()
        .flatten()
        .collect()
}

fn mean(x: &[f32]) -> f32 {
    x.iter().sum::<f32>() / x.len() as f32
}

/// The median: robust to the tracker's occasional octave error.
fn median(x: &[f32]) -> f32 {
    let mut v = x.to_vec();
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// Median F0 of the first, middle and last fifths of the voiced track.
fn thirds(track: &[f32]) -> (f32, f32, f32) {
    assert!(track.len() >= 10, "only {} voiced frames", track.len());
    let n = track.len();
    let f = n / 5;
    (
        median(&track[..f]),
        median(&track[2 * f..3 * f]),
        median(&track[n - f..]),
    )
}

fn each_tone_moves_the_right_way(v: &Arc<Voice>) {
    let (s0, _, s1) = thirds(&tone_track(v, Tone::Sac));
    assert!(s1 > 1.1 * s0, "sắc should rise: {s0} → {s1}");
    // Falling: the last fifth is below the first, and the last third reaches 10% under the
    // start (nặng's end is creaky, which the tracker follows only in part).
    let falls = |tone: Tone, name: &str| {
        let track = tone_track(v, tone);
        let (a, _, b) = thirds(&track);
        let low = track[2 * track.len() / 3..]
            .iter()
            .copied()
            .fold(f32::MAX, f32::min);
        assert!(
            b < a && low < 0.9 * a,
            "{name} should fall: {a} → {b}, low {low}"
        );
        b
    };
    let h1 = falls(Tone::Huyen, "huyền");
    let n1 = falls(Tone::Nang, "nặng");
    // hỏi dips: it falls well below its start, late in the syllable, and where the tracker
    // can follow it past the low (the built voice ends hỏi in creak, whose irregular periods
    // an autocorrelation tracker cannot follow) it comes back up.
    let hoi = tone_track(v, Tone::Hoi);
    let low = hoi.iter().copied().fold(f32::MAX, f32::min);
    let at_low = hoi.iter().position(|&f| f == low).unwrap();
    let (d0, _, _) = thirds(&hoi);
    assert!(
        low < 0.85 * d0 && at_low > hoi.len() / 2,
        "hỏi should fall to a late low: {d0} ↓{low} at {at_low}/{}",
        hoi.len()
    );
    let after = &hoi[at_low..];
    if after.len() >= 3 {
        let end = after.iter().copied().fold(0.0f32, f32::max);
        assert!(
            end > 1.05 * low,
            "hỏi should come back up: ↓{low} then {after:?}"
        );
    }
    let (g0, _, g1) = thirds(&tone_track(v, Tone::Ngang));
    assert!(
        (g1 / g0 - 1.0).abs() < 0.15,
        "ngang should stay level: {g0} → {g1}"
    );
    // Ngang sits above huyền and nặng's ends.
    assert!(g1 > h1 && g1 > n1);
}

/// The voiced F0 track of syllable `i` of `syllables` spoken as one sentence.
fn word_track(v: &Arc<Voice>, syllables: &[Syllable], i: usize) -> Vec<f32> {
    let p = &render(
        &v.clone(),
        doc(&[&[(syllables, Pause::Sentence)]]),
        Params::default(),
    )[0];
    let w = &p.words[i];
    pitch_track(&p.samples[w.start..w.end], v.info.sample_rate)
        .into_iter()
        .flatten()
        .collect()
}

/// The second syllable of "mạ ma" (low nặng, then level ngang) begins where that of "ma ma"
/// does, give or take the small glide the carry-over allows: a level tone that started from
/// the low ending before it would rise, and be heard as sắc.
fn a_tone_starts_near_its_own_pitch_after_a_far_one(v: &Arc<Voice>) {
    let onset = |first: Tone| {
        let pair = [
            syl(Onset::M, Nucleus::A, Coda::None, first),
            syl(Onset::M, Nucleus::A, Coda::None, Tone::Ngang),
        ];
        let track = word_track(v, &pair, 1);
        assert!(track.len() >= 3, "only {} voiced frames", track.len());
        median(&track[..3])
    };
    let (after_low, after_level) = (onset(Tone::Nang), onset(Tone::Ngang));
    assert!(
        after_low > 0.95 * after_level,
        "ngang after nặng starts at {after_low} Hz, after ngang at {after_level} Hz"
    );
}

/// The vowel of "ta" starts above its level tone and comes down to it, as voicing does after
/// a voiceless consonant; that of "ma", after a voiced one, starts on it.
fn voicing_starts_higher_after_a_voiceless_onset(v: &Arc<Voice>) {
    let onset_over_middle = |onset: Onset| {
        let s = syl(onset, Nucleus::A, Coda::None, Tone::Ngang);
        let track = word_track(v, &[s, s], 0);
        assert!(track.len() >= 8, "only {} voiced frames", track.len());
        let mid = track.len() / 2;
        track[0] / median(&track[mid - 2..mid + 2])
    };
    let (voiceless, voiced) = (onset_over_middle(Onset::T), onset_over_middle(Onset::M));
    eprintln!("onset / middle F0: ta {voiceless}, ma {voiced}");
    assert!(
        voiceless > 1.03 && voiceless > voiced + 0.03,
        "voicing after t starts at {voiceless} of the vowel's middle pitch, after m at {voiced}"
    );
}

fn pitch_shift_moves_the_whole_contour(v: &Arc<Voice>) {
    let s = syl(Onset::M, Nucleus::A, Coda::None, Tone::Ngang);
    let track = |pitch| {
        let p = &render(
            v,
            doc(&[&[(&[s], Pause::Sentence)]]),
            Params::new(1.0, pitch, 1.0).unwrap(),
        )[0];
        mean(
            &pitch_track(&p.samples[..p.words[0].end], v.info.sample_rate)
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
        )
    };
    let ratio = track(5.0) / track(0.0);
    assert!((ratio - 2f32.powf(5.0 / 12.0)).abs() < 0.06, "{ratio}");
}

fn dropping_the_stream_cancels_between_phrases(v: &Arc<Voice>) {
    let mut s = synth::stream(v.clone(), sentence_of_many(), Params::default());
    assert_eq!(s.size_hint().0, 3);
    let first = s.next().unwrap();
    assert!(!first.samples.is_empty());
    assert_eq!(s.size_hint().0, 2);
    drop(s);
}

fn empty_documents_and_silent_tokens_give_no_speech(v: &Arc<Voice>) {
    assert_eq!(render(v, Document::default(), Params::default()).len(), 0);
    let mut d = doc(&[&[(&[BA], Pause::Comma)]]);
    d.sentences[0].phrases[0].tokens.push(Token {
        span: Span::new(10, 11),
        kind: TokenKind::Silent,
        spoken: vec![],
        syllables: vec![],
    });
    let p = &render(v, d, Params::default())[0];
    let w = p.words[1];
    assert_eq!(w.start, w.end);
}

mod invariants {
    use super::*;
    use proptest::prelude::*;

    fn all() -> &'static [Syllable] {
        static ALL: std::sync::OnceLock<Vec<Syllable>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| Syllable::all().collect())
    }

    fn synthetic_voice() -> Arc<Voice> {
        static V: std::sync::OnceLock<Arc<Voice>> = std::sync::OnceLock::new();
        V.get_or_init(|| Arc::new(synthetic::voice())).clone()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Any syllables at any allowed rate, pitch and volume: finite, unclipped output whose
        /// word timings are ordered and inside their phrase, and silent pauses.
        #[test]
        fn any_input_in_range_gives_sane_audio(
            picks in prop::collection::vec(any::<prop::sample::Index>(), 1..12),
            rate in 0.5f32..=4.0,
            pitch in -12.0f32..=12.0,
            volume in 0.0f32..=2.0,
            pause in prop::sample::select(vec![Pause::None, Pause::Comma, Pause::Sentence, Pause::Paragraph]),
        ) {
            let v = synthetic_voice();
            let syls: Vec<Syllable> = picks.iter().map(|i| *i.get(all())).collect();
            let d = doc(&[&[(&syls, pause)]]);
            let params = Params::new(rate, pitch, volume).unwrap();
            let phrases = render(&v, d, params);
            prop_assert_eq!(phrases.len(), 1);
            let p = &phrases[0];
            prop_assert_eq!(p.words.len(), syls.len());
            prop_assert!(p.samples.iter().all(|s| s.abs() < i16::MAX));
            let mut last = 0;
            for w in &p.words {
                prop_assert!(w.start < w.end && w.end <= p.samples.len());
                prop_assert!(w.start + 100 >= last);
                last = w.end;
            }
            prop_assert!(p.samples[last..].iter().all(|&s| s == 0));
        }
    }
}

/// Energy-weighted mean frequency (Hz) of `x` between `lo` and `hi` (a plain DFT).
fn band_centroid(x: &[i16], sr: f64, lo: f64, hi: f64) -> f64 {
    let n = x.len() as f64;
    let (mut num, mut den) = (0.0, 0.0);
    let mut f = lo;
    while f <= hi {
        let w = 2.0 * std::f64::consts::PI * f / sr;
        let (mut re, mut im) = (0.0, 0.0);
        for (i, &s) in x.iter().enumerate() {
            let win = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / n).cos();
            re += s as f64 * win * (w * i as f64).cos();
            im += s as f64 * win * (w * i as f64).sin();
        }
        let p = re * re + im * im;
        num += f * p;
        den += p;
        f += 25.0;
    }
    num / den.max(1e-9)
}

/// The built-in voice's rhymes anticipate the next onset within a phrase: "ma" before "ba"
/// (labial: F2 falls toward 900 Hz) and before "nha" (palatal: F2 rises toward 2,200 Hz) is
/// the same sound until its last few tens of milliseconds, where its F2 region moves toward
/// the next consonant's place. Before a vowel or h it anticipates nothing.
#[test]
fn rhymes_anticipate_the_next_onset() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/northern");
    let voice = Arc::new(Voice::load(&dir).unwrap_or_else(|e| panic!("{e}")));
    let sr = voice.info.sample_rate as f64;
    let ma = syl(Onset::M, Nucleus::A, Coda::None, Tone::Ngang);
    let first_word = |next: Onset| {
        let d = doc(&[&[(
            &[ma, syl(next, Nucleus::A, Coda::None, Tone::Ngang)],
            Pause::Sentence,
        )]]);
        let audio = render(&voice, d, Params::default());
        let w = audio[0].words[0];
        audio[0].samples[w.start..w.end].to_vec()
    };
    let (labial, palatal) = (first_word(Onset::B), first_word(Onset::Nh));
    assert_eq!(labial.len(), palatal.len());
    let ms = |t: f64| (t * sr / 1000.0) as usize;
    let n = labial.len();
    assert_eq!(&labial[..n - ms(60.0)], &palatal[..n - ms(60.0)]);
    let end = |x: &[i16]| band_centroid(&x[n - ms(30.0)..n - ms(5.0)], sr, 1000.0, 2600.0);
    let (cl, cp) = (end(&labial), end(&palatal));
    assert!(
        cp > cl + 200.0,
        "F2 region: before nh {cp:.0} Hz, before b {cl:.0} Hz"
    );
    // Onsets with no place (none, h) are not anticipated: the plain final both times (up to
    // the last 3 ms, where the next syllable fades in).
    let (vowel, h) = (first_word(Onset::None), first_word(Onset::H));
    let plain = n - ms(5.0);
    assert!(
        vowel[..plain] == h[..plain],
        "a rhyme before a vowel and before h differ"
    );
    assert!(vowel[n - ms(30.0)..plain] != labial[n - ms(30.0)..plain]);
}
