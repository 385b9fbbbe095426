//! `loa normalize`: stdin → the spoken form, one sentence per line; bad input is refused.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(input: &[u8], args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .arg("normalize")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the loa binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input)
        .expect("stdin takes the input");
    child.wait_with_output().expect("loa finishes")
}

#[test]
fn prints_the_spoken_form() {
    let out = run("Năm 2020 có 5 người.".as_bytes(), &[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert_eq!(text.trim(), "năm hai nghìn hai mươi có năm người");
}

#[test]
fn json_carries_tokens_and_syllables() {
    let out = run("Ngày 26/10/2020".as_bytes(), &["--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let token = &v["sentences"][0]["phrases"][0]["tokens"][1];
    assert_eq!(token["kind"], "date");
    assert_eq!(token["spoken"][0], "hai");
    assert!(token["syllables"]
        .as_array()
        .is_some_and(|s| s.len() == token["spoken"].as_array().map_or(0, Vec::len)));
}

#[test]
fn invalid_utf8_is_a_clear_error() {
    let out = run(b"abc \xff\xfe def", &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("UTF-8"), "stderr: {err}");
}
