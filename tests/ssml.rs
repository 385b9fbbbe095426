//! SSML and the user lexicon through the front end: golden tables (`tests/data/ssml.tsv`,
//! `tests/data/lexicon.tsv`) and hostile documents.

use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use loa::text::lexicon::{Lexicon, Pronunciations};
use loa::text::script::Script;
use loa::text::ssml::{self, SsmlError};
use loa::text::{Document, Pause, TokenKind};

/// A document as one line: each phrase's words, then its pause (`/` none, `,` comma, `.`
/// sentence, `¶` paragraph, `<N ms>` a break); `{rate×R pitch±S vol×V}` before a phrase with
/// SSML prosody; `@name` where a mark stands.
fn render(script: &Script, doc: &Document) -> String {
    let mut out = Vec::new();
    for phrase in doc.phrases() {
        let p = phrase.prosody;
        if !p.is_neutral() {
            out.push(format!(
                "{{rate×{} pitch{:+} vol×{}}}",
                p.rate, p.pitch, p.volume
            ));
        }
        for token in &phrase.tokens {
            if token.kind == TokenKind::Mark {
                let name = script.mark_name(token.span).expect("a mark's name");
                out.push(format!("@{name}"));
            } else {
                out.extend(token.spoken.iter().cloned());
            }
        }
        out.push(match phrase.pause {
            Pause::None => "/".into(),
            Pause::Comma => ",".into(),
            Pause::Sentence => ".".into(),
            Pause::Paragraph => "¶".into(),
            Pause::Millis(ms) => format!("<{ms} ms>"),
        });
    }
    out.join(" ")
}

fn read(text: &str, lexicon: Pronunciations) -> Result<String, SsmlError> {
    let script = Script::new(text.to_string(), None, lexicon)?;
    let doc = script.analyze();
    Ok(render(&script, &doc))
}

/// Runs a golden table `input<TAB>expected` and reports every difference at once.
fn golden(path: &str, lexicon: Pronunciations) {
    let table = std::fs::read_to_string(path).expect("golden table");
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, line) in table.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (input, expected) = line.split_once('\t').expect("input<TAB>expected");
        n += 1;
        let got = match read(input, lexicon.clone()) {
            Ok(got) => got,
            Err(e) => format!("ERROR {e}"),
        };
        if got != expected {
            failures.push(format!(
                "{path}:{}\n  input:    {input}\n  expected: {expected}\n  got:      {got}",
                i + 1
            ));
        }
    }
    assert!(n > 10, "the table has cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ssml_golden_table() {
    golden("tests/data/ssml.tsv", Pronunciations::none());
}

fn server_lexicon() -> Arc<Lexicon> {
    Arc::new(
        Lexicon::load(std::path::Path::new("tests/data/lexicon.tsv"))
            .expect("the test lexicon loads"),
    )
}

#[test]
fn lexicon_golden_table() {
    golden(
        "tests/data/lexicon_cases.tsv",
        Pronunciations::new(None, Some(server_lexicon())),
    );
}

#[test]
fn a_request_lexicon_wins_over_the_server_lexicon() {
    let request = Lexicon::from_pairs([("VinFast", "vin pha"), ("Loa", "lo a")]).unwrap();
    let both = Pronunciations::new(Some(Arc::new(request)), Some(server_lexicon()));
    assert_eq!(
        read("Xe VinFast của Viettel. Tôi là Loa.", both).unwrap(),
        "xe vin pha của vi ét ten . tôi là lo a ¶"
    );
}

#[test]
fn plain_text_reads_as_before() {
    // Without SSML and without a lexicon, a script is exactly the front end of `analyze`.
    let text = "Ngày 26/10/2020, UBND TP.HCM chi 5,2 tỷ đồng. Xin chào <các> bạn!\n\nĐoạn hai.";
    let script = Script::new(text.to_string(), None, Pronunciations::none()).unwrap();
    assert!(!script.is_ssml());
    assert_eq!(script.analyze(), loa::text::analyze(text));
    let lazy: Vec<_> = Arc::new(script).sentences().collect();
    assert_eq!(lazy, loa::text::analyze(text).sentences);
}

/// Parses `doc` and returns the error, checking it is quick.
fn error(doc: &str) -> SsmlError {
    let started = Instant::now();
    let e = Script::new(doc.to_string(), Some(true), Pronunciations::none())
        .expect_err("the document is refused");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "refused in {:?}",
        started.elapsed()
    );
    e
}

#[test]
fn malformed_documents_are_refused_saying_where() {
    let cases: &[(&str, (usize, usize), &str)] = &[
        ("<speak>Xin chào", (1, 16), "ends inside <speak>"),
        (
            "<speak><p>Xin chào</s></speak>",
            (1, 19),
            "</s> does not close <p>",
        ),
        (
            "<speak>Xin <prosody rate=\"fast\"",
            (1, 12),
            "unterminated tag <prosody",
        ),
        (
            "<speak>\n  <prosody rate=\"fastest\">x</prosody></speak>",
            (2, 12),
            "rate=\"fastest\"",
        ),
        (
            "<speak><prosody pitch=\"200Hz\">x</prosody></speak>",
            (1, 17),
            "Hz is not supported",
        ),
        (
            "<speak><prosody volume=\"+60dB\">x</prosody></speak>",
            (1, 17),
            "outside",
        ),
        (
            "<speak><break time=\"1h\"/></speak>",
            (1, 15),
            "time=\"1h\"",
        ),
        (
            "<speak><break time=\"20s\"/></speak>",
            (1, 15),
            "outside 0..10000 ms",
        ),
        (
            "<speak><break strength=\"huge\"/></speak>",
            (1, 15),
            "strength=\"huge\"",
        ),
        (
            "<speak><say-as interpret-as=\"currency\">5</say-as></speak>",
            (1, 16),
            "interpret-as=\"currency\"",
        ),
        (
            "<speak><say-as interpret-as=\"date\" format=\"qq\">5</say-as></speak>",
            (1, 36),
            "format=\"qq\"",
        ),
        (
            "<speak><say-as>5</say-as></speak>",
            (1, 8),
            "needs the attribute `interpret-as`",
        ),
        (
            "<speak><sub>WWF</sub></speak>",
            (1, 8),
            "needs the attribute `alias`",
        ),
        (
            "<speak><mark/></speak>",
            (1, 8),
            "needs the attribute `name`",
        ),
        (
            "<speak><sub alias=\"x\"><b>y</b></sub></speak>",
            (1, 23),
            "may contain only text",
        ),
        ("<speak>A & B</speak>", (1, 10), "bare `&`"),
        ("<speak>&nbsp;</speak>", (1, 8), "unknown entity `&nbsp;`"),
        (
            "<speak>&#0;</speak>",
            (1, 8),
            "not a valid character reference",
        ),
        (
            "<speak>&#xD800;</speak>",
            (1, 8),
            "not a valid character reference",
        ),
        ("<speak><p a=b>x</p></speak>", (1, 13), "must be quoted"),
        (
            "<speak><p a=\"1\" a=\"2\">x</p></speak>",
            (1, 17),
            "repeated",
        ),
        (
            "<speak><p a=\"<\">x</p></speak>",
            (1, 14),
            "`<` in the value",
        ),
        ("<p>Xin chào</p>", (1, 1), "root element must be <speak>"),
        ("<speak>a</speak> b", (1, 18), "text outside"),
        (
            "<speak>a</speak><speak>b</speak>",
            (1, 17),
            "a second <speak>",
        ),
        (
            "<speak><speak>b</speak></speak>",
            (1, 8),
            "only be the root",
        ),
        (
            "<speak>a</p></speak>",
            (1, 9),
            "</p> does not close <speak>",
        ),
        (
            "<speak><!-- never closed </speak>",
            (1, 8),
            "unterminated comment",
        ),
        ("Xin chào", (1, 1), "text outside the <speak> element"),
        ("", (1, 1), "no <speak> element"),
    ];
    let mut failures = Vec::new();
    for (doc, (line, column), message) in cases {
        let e = error(doc);
        if (e.line, e.column) != (*line, *column) || !e.message.contains(message) {
            failures.push(format!(
                "{doc:?}\n  expected {line}:{column} …{message}…\n  got      {}:{} {}",
                e.line, e.column, e.message
            ));
        }
        // The message the HTTP layer sends says where.
        let shown = e.to_string();
        assert!(
            shown.contains(&format!("line {}, column {}", e.line, e.column)),
            "{shown}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn billion_laughs_is_refused_not_expanded() {
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE speak [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doc.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    doc.push_str("]>\n<speak>&lol9;</speak>");
    let e = error(&doc);
    assert_eq!((e.line, e.column), (2, 1), "{e}");
    assert!(
        e.message
            .contains("DOCTYPE and entity declarations are not allowed"),
        "{e}"
    );
    // Without the declarations, the entity is simply unknown.
    let e = error("<speak>&lol9;</speak>");
    assert!(e.message.contains("unknown entity `&lol9;`"), "{e}");
}

#[test]
fn ten_thousand_nested_tags_are_refused_fast() {
    for tag in ["p", "prosody", "unknown"] {
        let doc = format!(
            "<speak>{}x{}</speak>",
            format!("<{tag}>").repeat(10_000),
            format!("</{tag}>").repeat(10_000)
        );
        let e = error(&doc);
        assert!(e.message.contains("nested deeper than 64"), "{e}");
        assert_eq!(e.offset, "<speak>".len() + 63 * (tag.len() + 2), "{e}");
    }
}

#[test]
fn too_many_elements_and_too_large_documents_are_refused() {
    let doc = format!("<speak>{}</speak>", "<mark name=\"m\"/>".repeat(10_000));
    let e = error(&doc);
    assert!(e.message.contains("more than 10000 elements"), "{e}");
    let huge_alias = format!("<speak><sub alias=\"{}\">x</sub></speak>", "a".repeat(2000));
    let e = error(&huge_alias);
    assert!(e.message.contains("the limit is 1024"), "{e}");
    let big = format!("<speak>{}</speak>", "a ".repeat(ssml::MAX_BYTES));
    let e = error(&big);
    assert!(e.message.contains("bytes; the limit is"), "{e}");
}

#[test]
fn unknown_elements_are_ignored_and_their_text_read() {
    let got = read(
        "<speak><voice name=\"x\"><emphasis level=\"strong\">Chào</emphasis> <w>bạn</w> <phoneme ph=\"x\">nhé</phoneme>.</voice></speak>",
        Pronunciations::none(),
    )
    .unwrap();
    assert_eq!(got, "chào bạn nhé .");
}

#[test]
fn spans_point_into_the_document_as_sent() {
    let doc = "<speak>\n  <p>Tổ chức <sub alias=\"quỹ quốc tế\">WWF</sub> &amp; <say-as interpret-as=\"digits\">12</say-as>, <mark name=\"m\"/>Hà Nội.</p>\n</speak>";
    let script = Script::new(doc.to_string(), None, Pronunciations::none()).unwrap();
    let d = script.analyze();
    let tokens: Vec<(&str, TokenKind)> = d
        .phrases()
        .flat_map(|p| p.tokens.iter())
        .map(|t| (&doc[t.span.start..t.span.end], t.kind))
        .collect();
    assert_eq!(
        tokens,
        [
            ("Tổ", TokenKind::Word),
            ("chức", TokenKind::Word),
            (
                "<sub alias=\"quỹ quốc tế\">WWF</sub>",
                TokenKind::Substitution
            ),
            ("&amp;", TokenKind::Symbol),
            ("12", TokenKind::Spelled),
            (",", TokenKind::Silent),
            ("<mark name=\"m\"/>", TokenKind::Mark),
            ("Hà", TokenKind::Word),
            ("Nội", TokenKind::Word),
            (".", TokenKind::Silent),
        ]
    );
    let sentence = d.sentences[0].span;
    assert_eq!(&doc[sentence.start..sentence.end], &doc[13..doc.len() - 13]);
}

proptest! {
    #[test]
    fn parsing_never_panics(doc in "<speak>[<>/&;#a-z=\"' x0-9À-ỹ-]{0,80}(</speak>)?") {
        if let Ok(script) = Script::new(doc.clone(), Some(true), Pronunciations::none()) {
            for phrase in script.analyze().phrases() {
                for t in &phrase.tokens {
                    prop_assert!(t.span.end <= doc.len());
                    prop_assert!(doc.is_char_boundary(t.span.start) && doc.is_char_boundary(t.span.end));
                }
            }
        }
    }

    #[test]
    fn any_text_in_a_speak_element_parses_once_escaped(text in "\\PC{0,60}") {
        let escaped = text.replace('&', "&amp;").replace('<', "&lt;");
        let doc = format!("<speak>{escaped}</speak>");
        let script = Script::new(doc, None, Pronunciations::none());
        prop_assert!(script.is_ok(), "{:?}", script.err());
    }
}

#[test]
fn the_example_lexicon_in_the_docs_loads() {
    let lexicon = Lexicon::load(std::path::Path::new("examples/lexicon.tsv")).expect("it loads");
    assert!(lexicon.len() >= 8);
    let p = Pronunciations::new(None, Some(Arc::new(lexicon)));
    assert_eq!(
        read("Vinamilk ở Đắk Lắk, mẫu VF5.", p).unwrap(),
        "vi na min ở đắc lắc , mẫu vi ép năm ¶"
    );
}

/// Runs the `loa` binary with `args`, `stdin` given as a file.
fn loa(args: &[&str], stdin: &str) -> std::process::Output {
    let input = temp_file(
        &format!("stdin-{}.txt", args.join("-").replace('/', "_")),
        stdin,
    );
    let file = std::fs::File::open(input).expect("the input file");
    std::process::Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .stdin(file)
        .output()
        .expect("loa runs")
}

fn temp_file(name: &str, contents: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("a temporary file");
    path.display().to_string()
}

#[test]
fn loa_normalize_reads_ssml_and_lexicons() {
    let out = loa(
        &["normalize"],
        "<speak>Mã <say-as interpret-as=\"characters\">ABC</say-as>, xe VinFast.</speak>",
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "mã a bê xê xe vin phát"
    );
    let lexicon = temp_file("cli-lexicon.tsv", "VinFast\tvin phát vin phát\n");
    let out = loa(&["normalize", "--lexicon", &lexicon], "Xe VinFast.");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "xe vin phát vin phát"
    );
    // Forced SSML on plain text, and a broken lexicon: clear errors, non-zero exits.
    let out = loa(&["normalize", "--ssml"], "Xin chào");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 1, column 1") && err.contains("text outside the <speak> element"),
        "{err}"
    );
    let bad = temp_file("cli-bad-lexicon.tsv", "# x\nGoogle\tgoogle\n");
    let out = loa(&["normalize", "--lexicon", &bad], "Xin chào");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{bad}:2")) && err.contains("`google`"),
        "{err}"
    );
}

#[test]
fn loa_say_speaks_ssml_breaks_as_silence() {
    let wav = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("say-break.wav");
    let out = loa(
        &["say", "-o", &wav.display().to_string()],
        "<speak>Xin chào<break time=\"2s\"/>các bạn.</speak>",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reader = hound::WavReader::open(&wav).expect("a WAV file");
    let rate = reader.spec().sample_rate;
    let samples: Vec<i16> = reader.into_samples().map(|s| s.unwrap()).collect();
    let (mut best, mut run) = (0usize, 0usize);
    for s in samples {
        run = if s == 0 { run + 1 } else { 0 };
        best = best.max(run);
    }
    let ms = best as f64 * 1000.0 / f64::from(rate);
    assert!((2000.0..2060.0).contains(&ms), "longest silence {ms} ms");
}

#[test]
fn loa_serve_refuses_to_start_with_a_bad_lexicon() {
    let bad = temp_file(
        "serve-bad-lexicon.tsv",
        "VinFast\tvin phát\nVinFast\tvin pha\n",
    );
    let started = Instant::now();
    let out = loa(&["serve", "--addr", "127.0.0.1:0", "--lexicon", &bad], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{bad}:2")) && err.contains("already in the lexicon"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
