//! SSML and the lexicon in the front end: what a request costs before synthesis.
//!
//! `cargo bench --bench ssml`:
//! - `parse_plan_200k`: parsing and planning a maximal SSML request (200,000 characters with
//!   paragraphs, breaks, prosody, say-as, sub and marks) — the part that runs before the
//!   response starts;
//! - `analyze_ssml_5kb` / `analyze_plain_5kb`: the whole front end on the same 5 KB article as
//!   SSML (one `<p>` per paragraph, a mark per sentence) and as plain text;
//! - `analyze_plain_5kb_lexicon`: the plain article with a 1,000-entry server lexicon.

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use loa::text::lexicon::{Lexicon, Pronunciations};
use loa::text::script::Script;

const SENTENCES: [&str; 4] = [
    "Sáng 12/3/2024, UBND TP.HCM tổ chức hội nghị tổng kết công tác năm 2023.",
    "Theo báo cáo, tổng thu ngân sách đạt 482.500 tỷ đồng, tăng 5,2% so với cùng kỳ.",
    "Người dân có thể gọi đường dây nóng 0912 345 678 để phản ánh.",
    "Các doanh nghiệp như Samsung, Google và Facebook cũng tham gia chương trình.",
];

fn plain(bytes: usize) -> String {
    let mut text = String::new();
    while text.len() < bytes {
        text.push_str(&SENTENCES.join(" "));
        text.push_str("\n\n");
    }
    text
}

fn ssml(chars: usize) -> String {
    let mut doc = String::from("<speak>\n");
    let mut n = 0;
    while doc.chars().count() < chars {
        doc.push_str("  <p>");
        for s in SENTENCES {
            doc.push_str(&format!("<mark name=\"s{n}\"/>{s} "));
            n += 1;
        }
        doc.push_str(
            "<break time=\"300ms\"/><prosody rate=\"fast\">Mã <say-as interpret-as=\"characters\">\
             ABC</say-as>, <sub alias=\"quỹ tiền tệ quốc tế\">IMF</sub>.</prosody></p>\n",
        );
    }
    doc.push_str("</speak>");
    doc
}

fn bench(c: &mut Criterion) {
    let big = ssml(190_000);
    let article = plain(5 * 1024);
    let article_ssml = ssml(article.chars().count());
    let entries: Vec<(String, String)> = (0..1000)
        .map(|i| (format!("Hãng{i}"), format!("hãng số {i}")))
        .collect();
    let lexicon = Arc::new(
        Lexicon::from_pairs(entries.iter().map(|(a, b)| (a.as_str(), b.as_str())))
            .unwrap_or_default(),
    );
    let mut group = c.benchmark_group("ssml");
    group.bench_function("parse_plan_200k", |b| {
        b.iter(|| Script::new(black_box(big.clone()), None, Pronunciations::none()))
    });
    group.bench_function("analyze_ssml_5kb", |b| {
        b.iter(|| {
            Script::new(
                black_box(article_ssml.clone()),
                None,
                Pronunciations::none(),
            )
            .map(|s| s.analyze())
        })
    });
    group.bench_function("analyze_plain_5kb", |b| {
        b.iter(|| Script::plain(black_box(article.clone())).analyze())
    });
    group.bench_function("analyze_plain_5kb_lexicon", |b| {
        let with = Pronunciations::new(None, Some(lexicon.clone()));
        b.iter(|| {
            Script::new(black_box(article.clone()), Some(false), with.clone()).map(|s| s.analyze())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
