//! The voice files: round trips, and corrupt or truncated voices failing with clear errors
//! (never a panic).

use std::path::{Path, PathBuf};

use loa::text::{Coda, Nucleus, Onset, Tone};
use loa::voice::{FormatError, Inventory, Place, Unit, UnitKey, Voice, VoiceError, VoiceIdentity};
use proptest::prelude::*;

fn harmonic_unit(key: UnitKey, periods: usize, period: usize) -> Unit {
    let n = periods * period;
    let samples = (0..n)
        .map(|i| {
            let ph = 2.0 * std::f32::consts::PI * (i % period) as f32 / period as f32;
            (6000.0 * ph.sin() + 2000.0 * (2.0 * ph).sin()) as i16
        })
        .collect();
    Unit {
        key,
        samples,
        pitch_marks: (0..periods as u32).map(|p| p * period as u32).collect(),
        boundary: (n / 3) as u32,
    }
}

fn inventory() -> Inventory {
    let mut units = Vec::new();
    for onset in [Onset::B, Onset::Tr, Onset::None] {
        units.push(harmonic_unit(
            UnitKey::Initial {
                onset,
                medial: false,
                nucleus: Nucleus::A,
            },
            12,
            133,
        ));
    }
    for tone in Tone::ALL {
        units.push(harmonic_unit(
            UnitKey::Final {
                nucleus: Nucleus::A,
                coda: Coda::Ng,
                tone,
            },
            20,
            120,
        ));
    }
    // The last unit: a tail of the hỏi final, taking over at its sample 1,500 (of 2,400).
    let mut tail = harmonic_unit(
        UnitKey::Tail {
            nucleus: Nucleus::A,
            coda: Coda::Ng,
            tone: Tone::Hoi,
            next: Place::Velar,
        },
        5,
        120,
    );
    tail.boundary = 1_500;
    units.push(tail);
    Inventory {
        sample_rate: 16_000,
        units,
    }
}

fn identity() -> VoiceIdentity {
    VoiceIdentity {
        id: "test".into(),
        name: "Test voice".into(),
        language: "vi".into(),
        dialect: "north".into(),
        reference_f0: 120.0,
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("loa-voice-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn written(tag: &str) -> PathBuf {
    let dir = temp_dir(tag);
    inventory().write(&dir, &identity()).unwrap();
    dir
}

#[test]
fn write_then_load_gives_back_the_same_voice() {
    let dir = written("roundtrip");
    let voice = Voice::load(&dir).unwrap();
    assert_eq!(voice.inventory, inventory());
    assert_eq!(voice.info.id, "test");
    assert_eq!(voice.info.sample_rate, 16_000);
    assert_eq!(voice.reference_f0, 120.0);
    let key = UnitKey::Final {
        nucleus: Nucleus::A,
        coda: Coda::Ng,
        tone: Tone::Hoi,
    };
    assert_eq!(voice.unit(&key).unwrap().key, key);
    let manifest = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
    for field in [
        "unit_kind = \"demisyllable\"",
        "version = 2",
        "units = \"units.bin\"",
        "checksum = \"fnv1a64:",
        "reference_f0 = 120",
    ] {
        assert!(manifest.contains(field), "{field} missing from {manifest}");
    }
}

fn load_err(dir: &Path) -> VoiceError {
    Voice::load(dir).expect_err("a corrupt voice must not load")
}

/// Rewrites units.bin with `edit` and the manifest checksum to match, so the structural
/// checks (not the checksum) have to catch the damage.
fn corrupt_consistently(tag: &str, edit: impl FnOnce(&mut Vec<u8>)) -> (PathBuf, VoiceError) {
    let dir = written(tag);
    let path = dir.join("units.bin");
    let mut bytes = std::fs::read(&path).unwrap();
    edit(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    let manifest = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
    let fixed: String = manifest
        .lines()
        .map(|l| {
            if l.starts_with("checksum") {
                format!(
                    "checksum = \"{}\"",
                    loa::voice::format::checksum_string(&bytes)
                )
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("manifest.toml"), fixed).unwrap();
    let err = load_err(&dir);
    (dir, err)
}

fn format_error(err: &VoiceError) -> &FormatError {
    match err {
        VoiceError::Format { source, .. } => source,
        other => panic!("expected a format error, got {other}"),
    }
}

#[test]
fn a_flipped_byte_fails_the_checksum_and_names_the_file() {
    let dir = written("flip");
    let path = dir.join("units.bin");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let err = load_err(&dir);
    assert!(matches!(format_error(&err), FormatError::Checksum { .. }));
    let message = err.to_string();
    assert!(message.contains("units.bin"), "{message}");
    assert!(message.contains("checksum"), "{message}");
}

#[test]
fn wrong_magic() {
    let (_, err) = corrupt_consistently("magic", |b| b[0] = b'X');
    assert!(matches!(format_error(&err), FormatError::Magic { .. }));
    assert!(err.to_string().contains("not a Loa unit file"));
}

#[test]
fn wrong_version() {
    let (_, err) = corrupt_consistently("version", |b| b[8] = 9);
    assert!(matches!(
        format_error(&err),
        FormatError::Version { found: 9, .. }
    ));
}

#[test]
fn truncated_file() {
    let (_, err) = corrupt_consistently("truncate", |b| b.truncate(b.len() - 3));
    assert!(matches!(format_error(&err), FormatError::Length { .. }));
    let (_, err) = corrupt_consistently("truncate-header", |b| b.truncate(10));
    assert!(matches!(format_error(&err), FormatError::TooShort { .. }));
}

#[test]
fn lying_lengths() {
    // First index entry's sample_len (bytes 28+4+4 ..) made huge.
    let (_, err) = corrupt_consistently("lie-len", |b| {
        b[36..40].copy_from_slice(&u32::MAX.to_le_bytes());
    });
    assert!(matches!(format_error(&err), FormatError::Range { .. }));
    // Header unit count made huge: the file is then far too short.
    let (_, err) = corrupt_consistently("lie-count", |b| {
        b[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    });
    assert!(matches!(format_error(&err), FormatError::Length { .. }));
}

#[test]
fn boundary_outside_unit() {
    let (_, err) = corrupt_consistently("boundary", |b| {
        b[48..52].copy_from_slice(&1_000_000u32.to_le_bytes());
    });
    assert!(matches!(format_error(&err), FormatError::Boundary { .. }));
}

/// Byte offset of the last index entry (the tail's) of the test inventory.
const TAIL_ENTRY: usize = 28 + 24 * 9;

#[test]
fn a_tail_splices_into_its_final() {
    let voice = Voice::load(&written("tail")).unwrap();
    let fin = voice
        .unit(&UnitKey::Final {
            nucleus: Nucleus::A,
            coda: Coda::Ng,
            tone: Tone::Hoi,
        })
        .unwrap();
    let tail = voice
        .unit(&UnitKey::Tail {
            nucleus: Nucleus::A,
            coda: Coda::Ng,
            tone: Tone::Hoi,
            next: Place::Velar,
        })
        .unwrap();
    let mut out = fin.clone();
    fin.splice_into(tail, &mut out);
    assert_eq!(out.key, fin.key);
    assert_eq!(out.samples.len(), 1_500 + 600);
    assert_eq!(&out.samples[..1_500], &fin.samples[..1_500]);
    assert_eq!(&out.samples[1_500..], &tail.samples[..]);
    // Marks: the final's before the splice, then the tail's moved by it.
    assert_eq!(out.pitch_marks.len(), 13 + 5);
    assert_eq!(out.pitch_marks[13], 1_500);
    assert!(out.pitch_marks.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn tail_splice_point_must_lie_inside_its_final() {
    let (_, err) = corrupt_consistently("tail-boundary", |b| {
        b[TAIL_ENTRY + 20..TAIL_ENTRY + 24].copy_from_slice(&2_400u32.to_le_bytes());
    });
    assert!(matches!(
        format_error(&err),
        FormatError::Boundary { len: 2_400, .. }
    ));
}

#[test]
fn tail_without_its_final() {
    // The tail's nucleus code set to 0 (i): there is no final (i, ng, hỏi).
    let (_, err) = corrupt_consistently("tail-orphan", |b| b[TAIL_ENTRY + 1] = 0);
    assert!(matches!(
        format_error(&err),
        FormatError::TailWithoutFinal { index: 9, .. }
    ));
    assert!(err.to_string().contains("final unit is missing"));
    // A kind code past the four places is not a key.
    let (_, err) = corrupt_consistently("tail-kind", |b| b[TAIL_ENTRY] = 6);
    assert!(matches!(
        format_error(&err),
        FormatError::Key { index: 9, .. }
    ));
}

#[test]
fn pitch_marks_must_increase() {
    let inv = inventory();
    let total_samples: usize = inv.units.iter().map(|u| u.samples.len()).sum();
    let marks_at = 28 + 24 * inv.units.len() + 2 * total_samples;
    let (_, err) = corrupt_consistently("marks", |b| {
        b[marks_at + 4..marks_at + 8].copy_from_slice(&0u32.to_le_bytes());
    });
    assert!(matches!(
        format_error(&err),
        FormatError::MarksNotIncreasing { .. }
    ));
}

#[test]
fn duplicate_keys() {
    let (_, err) = corrupt_consistently("dup", |b| {
        let second: [u8; 4] = b[52..56].try_into().unwrap();
        b[28..32].copy_from_slice(&second);
    });
    assert!(matches!(format_error(&err), FormatError::Duplicate { .. }));
}

#[test]
fn missing_units_file_names_it() {
    let dir = written("missing");
    std::fs::remove_file(dir.join("units.bin")).unwrap();
    let err = load_err(&dir);
    assert!(matches!(err, VoiceError::Io { .. }));
    assert!(err.to_string().contains("units.bin"));
}

#[test]
fn bad_manifest_names_it() {
    let dir = written("manifest");
    std::fs::write(dir.join("manifest.toml"), "id = 3\n").unwrap();
    let err = load_err(&dir);
    assert!(matches!(err, VoiceError::Manifest { .. }));
    assert!(err.to_string().contains("manifest.toml"));
}

#[test]
fn units_path_cannot_escape_the_voice_directory() {
    let dir = written("escape");
    let manifest = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
    let evil = manifest.replace("units = \"units.bin\"", "units = \"../../etc/passwd\"");
    std::fs::write(dir.join("manifest.toml"), evil).unwrap();
    assert!(matches!(load_err(&dir), VoiceError::Manifest { .. }));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any corruption of a valid file is either refused with an error or (when it only
    /// changes sample values) accepted as a valid inventory; it never panics.
    #[test]
    fn random_corruption_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = inventory().to_bytes().unwrap();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            let n = cut.index(bytes.len());
            bytes.truncate(n);
        }
        if let Ok(inv) = Inventory::from_bytes(&bytes) {
            // Whatever is accepted satisfies every invariant the engine relies on.
            prop_assert!(inv.validate().is_ok());
        }
    }
}
