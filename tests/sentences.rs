//! Golden table and properties for sentence splitting (src/text/sentences.rs).

use std::time::{Duration, Instant};

use loa::text::sentences::{split, split_with_breaks};
use proptest::prelude::*;

const TABLE: &str = include_str!("data/sentences.tsv");

/// Renders a split as the table writes it: " ‖ " inside a paragraph, " ¶ " after one.
fn render(text: &str) -> String {
    let segments = split_with_breaks(text);
    let mut out = String::new();
    for (n, s) in segments.iter().enumerate() {
        out.push_str(&text[s.span.start..s.span.end]);
        if n + 1 < segments.len() {
            out.push_str(if s.paragraph_end { " ¶ " } else { " ‖ " });
        }
    }
    out
}

#[test]
fn golden_table() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (n, line) in TABLE.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (input, expected) = line.split_once('\t').expect("input<TAB>expected");
        let input = input.replace("\\n", "\n");
        let expected = expected.replace("\\n", "\n");
        cases += 1;
        let got = render(&input);
        if got != expected {
            failures.push(format!(
                "line {}: {input:?}\n  expected: {expected}\n  got:      {got}",
                n + 1
            ));
        }
    }
    assert!(cases >= 80, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn seed_article_headline_and_missing_space() {
    let text =
        "Phát huy vai trò lực lượng công an chính quy ở xã\n\nTHỨ HAI, 26/10/2020 23:24:57\n\n\
                Thời gian qua, lực lượng này đã làm tốt nhiệm vụ tại cơ sở.Một trong những kết quả \
                nổi bật là tỉnh đã hoàn thành bố trí lực lượng. Tuy việc triển khai gặp khó khăn \
                nhưng được đánh giá cao.\n\nThượng tá VŨ KHẮC HỘI\nỦy viên Ban Thường vụ Huyện ủy";
    let got: Vec<&str> = split(text).iter().map(|s| &text[s.start..s.end]).collect();
    assert_eq!(got.len(), 7, "{got:#?}");
    assert!(got[2].ends_with("tại cơ sở."));
    assert!(got[3].starts_with("Một trong"));
    assert_eq!(got[5], "Thượng tá VŨ KHẮC HỘI");
}

#[test]
fn huge_and_odd_input_finishes_quickly() {
    let cases = [
        "Câu một. Câu hai! Câu ba? ".repeat(200_000),
        ".".repeat(1_000_000),
        "a.".repeat(500_000),
        "\"".repeat(500_000),
        "(".repeat(300_000) + &"x. Y ".repeat(100_000),
        "! ".repeat(500_000),
        "\n".repeat(1_000_000),
    ];
    for text in &cases {
        let t = Instant::now();
        let spans = split(text);
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "took {:?}",
            t.elapsed()
        );
        assert!(spans.iter().all(|s| s.start < s.end && s.end <= text.len()));
    }
}

proptest! {
    #[test]
    fn spans_are_ordered_trimmed_and_on_char_boundaries(
        text in "[a-zA-ZđĐàẢ0-9 .,!?…\"'()\\n:;-]{0,80}|\\PC{0,60}"
    ) {
        let spans = split(&text);
        let mut last = 0;
        for s in &spans {
            prop_assert!(s.start >= last && s.start < s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            let piece = &text[s.start..s.end];
            prop_assert_eq!(piece, piece.trim());
            prop_assert!(piece.chars().any(char::is_alphanumeric));
            last = s.end;
        }
        // Nothing with letters or digits is lost between sentences.
        let mut outside = String::new();
        let mut from = 0;
        for s in &spans {
            outside.push_str(&text[from..s.start]);
            from = s.end;
        }
        outside.push_str(&text[from..]);
        prop_assert!(!outside.chars().any(char::is_alphanumeric), "lost {:?}", outside);
    }
}

mod cli {
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn segment(input: &[u8], args: &[&str]) -> (bool, String, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
            .arg("segment")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run loa");
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    #[test]
    fn prints_the_original_sentences_one_per_line() {
        let input = "Tiêu đề\r\n\r\nÔng ở TP. Hồ Chí Minh.Hoà bình “lắm”! Câu\nxuống dòng.";
        let (ok, out, _) = segment(input.as_bytes(), &[]);
        assert!(ok);
        assert_eq!(
            out,
            "Tiêu đề\nÔng ở TP. Hồ Chí Minh.\nHoà bình “lắm”!\nCâu xuống dòng.\n"
        );
        let (ok, out, _) = segment(input.as_bytes(), &["--paragraphs"]);
        assert!(ok);
        assert!(out.starts_with("Tiêu đề\n\nÔng ở"), "{out}");
    }

    #[test]
    fn invalid_utf8_is_a_clear_error() {
        let (ok, out, err) = segment(b"Xin ch\xe0o", &[]);
        assert!(!ok);
        assert!(out.is_empty());
        assert!(err.contains("not valid UTF-8"), "{err}");
    }
}

#[test]
fn analyze_ends_paragraphs_with_a_paragraph_pause() {
    use loa::text::{analyze, Pause};
    let doc = analyze("Tiêu đề bài báo\n\nCâu thứ nhất. Câu thứ hai.\nDòng chú thích ảnh");
    let pauses: Vec<Pause> = doc
        .sentences
        .iter()
        .map(|s| s.phrases.last().expect("a phrase").pause)
        .collect();
    assert_eq!(
        pauses,
        [
            Pause::Paragraph,
            Pause::Sentence,
            Pause::Paragraph,
            Pause::Paragraph
        ]
    );
}
