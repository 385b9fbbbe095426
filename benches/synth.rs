//! Engine speed: a whole article's real-time factor and time to the first phrase, at normal
//! rate and at 3×; voice load.
//!
//! `cargo bench --bench synth`. Uses the built voice in `voices/northern` when it has units
//! (else the synthetic voice) and `../shared/eval/seed-article.txt` when present and the front
//! end parses it (else a generated document of the same size).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use loa::synth::{self, Params};
use loa::text::{
    Coda, Document, Nucleus, Onset, Pause, Phrase, Sentence, Span, Syllable, Token, TokenKind, Tone,
};
use loa::voice::{synthetic, Voice};

fn voice_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/northern")
}

fn voice() -> Arc<Voice> {
    Arc::new(Voice::load(&voice_dir()).unwrap_or_else(|_| synthetic::voice()))
}

/// ~600 syllables in sentences of 12, phrases of 6: about the seed article's size.
fn generated() -> Document {
    let onsets = [Onset::B, Onset::T, Onset::M, Onset::Ch, Onset::L, Onset::Ng];
    let nuclei = [
        Nucleus::A,
        Nucleus::Oo,
        Nucleus::Ie,
        Nucleus::Uw,
        Nucleus::E,
    ];
    let codas = [Coda::None, Coda::N, Coda::T, Coda::Ng, Coda::I];
    let mut k = 0usize;
    let mut sentences = Vec::new();
    for _ in 0..50 {
        let mut phrases = Vec::new();
        for pause in [Pause::Comma, Pause::Sentence] {
            let tokens = (0..6)
                .map(|_| {
                    k += 1;
                    let coda = codas[k % 5];
                    let tone = if coda.is_stop() {
                        [Tone::Sac, Tone::Nang][k % 2]
                    } else {
                        Tone::ALL[k % 6]
                    };
                    Token {
                        span: Span::new(k, k + 1),
                        kind: TokenKind::Word,
                        spoken: vec![],
                        syllables: vec![Syllable {
                            onset: onsets[k % 6],
                            medial: false,
                            nucleus: nuclei[k % 5],
                            coda,
                            tone,
                        }],
                    }
                })
                .collect();
            phrases.push(Phrase {
                span: Span::default(),
                tokens,
                pause,
                prosody: Default::default(),
            });
        }
        sentences.push(Sentence {
            span: Span::default(),
            phrases,
        });
    }
    Document { sentences }
}

fn document() -> Document {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/seed-article.txt");
    if let Ok(text) = std::fs::read_to_string(seed) {
        let doc = loa::text::analyze(&text);
        if doc.syllable_count() > 100 {
            return doc;
        }
    }
    generated()
}

fn bench(c: &mut Criterion) {
    let voice = voice();
    let doc = document();
    let sr = voice.info.sample_rate as f64;
    // Normal rate, and 3× (screen-reader speed: rendered at natural length, then the
    // phrase sped up by WSOLA).
    for (name, rate) in [("", 1.0), ("_rate3", 3.0)] {
        let params = Params::new(rate, 0.0, 1.0).unwrap();
        let samples: usize = synth::stream(voice.clone(), doc.clone(), params)
            .map(|p| p.samples.len())
            .sum();
        let audio = samples as f64 / sr;
        let t = Instant::now();
        let runs = 10;
        for _ in 0..runs {
            let n: usize = synth::stream(voice.clone(), doc.clone(), params)
                .map(|p| p.samples.len())
                .sum();
            assert_eq!(n, samples);
        }
        let per_run = t.elapsed().as_secs_f64() / runs as f64;
        eprintln!(
            "voice `{}` ({} units), {} syllables at rate {rate}, {audio:.1} s of audio: {:.2} ms per run, real-time factor {:.6}",
            voice.info.id,
            voice.inventory.units.len(),
            doc.syllable_count(),
            per_run * 1e3,
            per_run / audio
        );

        c.bench_function(&format!("synth/article{name}"), |b| {
            b.iter(|| {
                synth::stream(voice.clone(), doc.clone(), params)
                    .map(|p| p.samples.len())
                    .sum::<usize>()
            })
        });
        c.bench_function(&format!("synth/first_phrase{name}"), |b| {
            b.iter(|| synth::stream(voice.clone(), doc.clone(), params).next())
        });
    }
    let dir = if voice_dir().join("units.bin").is_file() && Voice::load(&voice_dir()).is_ok() {
        voice_dir()
    } else {
        let dir = std::env::temp_dir().join(format!("loa-bench-voice-{}", std::process::id()));
        let identity = loa::voice::VoiceIdentity {
            id: "synthetic".into(),
            name: "Synthetic".into(),
            language: "vi".into(),
            dialect: "north".into(),
            reference_f0: synthetic::REFERENCE_F0,
        };
        synthetic::inventory(16_000).write(&dir, &identity).unwrap();
        dir
    };
    c.bench_function("voice/load", |b| b.iter(|| Voice::load(&dir).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
