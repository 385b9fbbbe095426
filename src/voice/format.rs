//! The on-disk voice: `voices/<id>/manifest.toml` and its binary unit file `units.bin`.
//!
//! Input: a voice directory (or bytes). Output: a validated [`Manifest`] and [`Inventory`];
//! and the reverse, for the voice builder. The layout is documented in `voices/README.md`.
//!
//! `units.bin`, all integers little-endian:
//! ```text
//! header   magic "LOAUNITS" (8 bytes) · version u32 · sample_rate u32 · unit_count u32
//!          · total_samples u32 · total_marks u32                              (28 bytes)
//! index    unit_count × { kind u8 · a u8 · b u8 · c u8 · sample_offset u32 · sample_len u32
//!          · mark_offset u32 · mark_len u32 · boundary u32 }                  (24 bytes each)
//!          kind 0 initial (onset, medial, nucleus), 1 final (nucleus, coda, tone),
//!          2 + place tail (nucleus, coda, tone) before a labial, alveolar, palatal, velar onset
//! samples  total_samples × i16
//! marks    total_marks × u32 (each relative to its unit's first sample)
//! ```
//! Loading reads the file once and checks everything before any unit is used: magic, version,
//! exact length, key codes, ranges, strictly increasing pitch marks inside the unit, the
//! boundary inside the unit (a tail's inside its final unit, which must exist), duplicate keys,
//! and the manifest's FNV-1a 64 checksum.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::inventory::{Inventory, Place, Unit, UnitKey};
use super::VoiceError;
use crate::text::{Coda, Nucleus, Onset, Tone};

/// The first eight bytes of every unit file.
pub const MAGIC: [u8; 8] = *b"LOAUNITS";
/// The unit file version this build reads and writes.
pub const VERSION: u32 = 2;
/// The only unit kind this build knows.
pub const UNIT_KIND: &str = "demisyllable";
/// The file name the builder gives the unit file.
pub const UNITS_FILE: &str = "units.bin";
/// The manifest's file name inside a voice directory.
pub const MANIFEST_FILE: &str = "manifest.toml";

const HEADER_LEN: usize = 28;
const ENTRY_LEN: usize = 24;
const SAMPLE_RATES: std::ops::RangeInclusive<u32> = 8_000..=96_000;

/// A voice's `manifest.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub id: String,
    pub name: String,
    pub language: String,
    pub dialect: String,
    pub sample_rate: u32,
    /// Always `"demisyllable"` for now (see [`UNIT_KIND`]).
    pub unit_kind: String,
    /// The unit file format version ([`VERSION`]).
    pub version: u32,
    /// The constant F0 (Hz) of the vowel part of every initial unit; the engine ramps from it.
    pub reference_f0: f32,
    /// The unit file, relative to the manifest.
    pub units: String,
    /// FNV-1a 64 of the whole unit file, as `fnv1a64:` and 16 lowercase hex digits.
    pub checksum: String,
}

/// What is wrong with a unit file; always wrapped in [`VoiceError::Format`] with its path.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    #[error("file is {len} bytes, shorter than the {need}-byte header")]
    TooShort { len: usize, need: usize },
    #[error("bad magic {found:?}: not a Loa unit file")]
    Magic { found: [u8; 8] },
    #[error("format version {found} is not supported (this build reads {expected})")]
    Version { found: u32, expected: u32 },
    #[error("sample rate {0} is outside 8000..=96000")]
    SampleRate(u32),
    #[error("sample rate {file} differs from the manifest's {manifest}")]
    SampleRateMismatch { file: u32, manifest: u32 },
    #[error("file is {actual} bytes but its header promises {expected}")]
    Length { expected: u64, actual: u64 },
    #[error("unit {index}: unknown key code {code:?}")]
    Key { index: usize, code: [u8; 4] },
    #[error("unit {index} ({key:?}): {what} {start}+{len} runs past the {total} stored")]
    Range {
        index: usize,
        key: UnitKey,
        what: &'static str,
        start: u32,
        len: u32,
        total: u32,
    },
    #[error("unit {index} ({key:?}) has no samples")]
    EmptyUnit { index: usize, key: UnitKey },
    #[error("unit {index} ({key:?}): pitch mark {mark} at {at} is not after the previous one")]
    MarksNotIncreasing {
        index: usize,
        key: UnitKey,
        mark: usize,
        at: u32,
    },
    #[error("unit {index} ({key:?}): pitch mark at {at} is outside its {len} samples")]
    MarkOutside {
        index: usize,
        key: UnitKey,
        at: u32,
        len: u32,
    },
    #[error("unit {index} ({key:?}): boundary {boundary} is outside its {len} samples")]
    Boundary {
        index: usize,
        key: UnitKey,
        boundary: u32,
        len: u32,
    },
    #[error("unit {index} ({key:?}): its final unit is missing")]
    TailWithoutFinal { index: usize, key: UnitKey },
    #[error("unit {index}: key {key:?} appears twice")]
    Duplicate { index: usize, key: UnitKey },
    #[error("too large for the format: {0}")]
    TooLarge(&'static str),
    #[error("checksum {actual} differs from the manifest's {expected}")]
    Checksum { expected: String, actual: String },
    #[error("unit kind `{0}` is not supported (expected `demisyllable`)")]
    UnitKind(String),
    #[error("reference_f0 {0} is outside 40..=600 Hz")]
    ReferenceF0(f32),
}

/// FNV-1a, 64 bits: the checksum of a unit file.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    crate::text::hash::fnv1a64(bytes)
}

/// The manifest spelling of a checksum.
pub fn checksum_string(bytes: &[u8]) -> String {
    format!("fnv1a64:{:016x}", fnv1a64(bytes))
}

// File codes of the phonological classes. These tables are the format: never reorder them,
// only append (and bump VERSION if a reader could misread an old file).
pub(crate) const ONSETS: [Onset; 24] = [
    Onset::None,
    Onset::B,
    Onset::C,
    Onset::Ch,
    Onset::D,
    Onset::Dd,
    Onset::G,
    Onset::Gi,
    Onset::H,
    Onset::Kh,
    Onset::L,
    Onset::M,
    Onset::N,
    Onset::Ng,
    Onset::Nh,
    Onset::P,
    Onset::Ph,
    Onset::R,
    Onset::S,
    Onset::T,
    Onset::Th,
    Onset::Tr,
    Onset::V,
    Onset::X,
];
pub(crate) const NUCLEI: [Nucleus; 14] = [
    Nucleus::I,
    Nucleus::Ee,
    Nucleus::E,
    Nucleus::Uw,
    Nucleus::Ow,
    Nucleus::Aa,
    Nucleus::A,
    Nucleus::Aw,
    Nucleus::U,
    Nucleus::Oo,
    Nucleus::O,
    Nucleus::Ie,
    Nucleus::Uow,
    Nucleus::Uo,
];
pub(crate) const CODAS: [Coda; 11] = [
    Coda::None,
    Coda::P,
    Coda::T,
    Coda::C,
    Coda::Ch,
    Coda::M,
    Coda::N,
    Coda::Ng,
    Coda::Nh,
    Coda::I,
    Coda::U,
];
const TONES: [Tone; 6] = Tone::ALL;

fn code_of<T: PartialEq>(table: &[T], value: &T) -> u8 {
    table
        .iter()
        .position(|v| v == value)
        .expect("every variant has a file code") as u8
}

fn encode_key(key: &UnitKey) -> [u8; 4] {
    match key {
        UnitKey::Initial {
            onset,
            medial,
            nucleus,
        } => [
            0,
            code_of(&ONSETS, onset),
            u8::from(*medial),
            code_of(&NUCLEI, nucleus),
        ],
        UnitKey::Final {
            nucleus,
            coda,
            tone,
        } => [
            1,
            code_of(&NUCLEI, nucleus),
            code_of(&CODAS, coda),
            code_of(&TONES, tone),
        ],
        UnitKey::Tail {
            nucleus,
            coda,
            tone,
            next,
        } => [
            2 + code_of(&Place::ALL, next),
            code_of(&NUCLEI, nucleus),
            code_of(&CODAS, coda),
            code_of(&TONES, tone),
        ],
    }
}

fn decode_key(code: [u8; 4]) -> Option<UnitKey> {
    let [kind, a, b, c] = code.map(usize::from);
    match kind {
        0 => Some(UnitKey::Initial {
            onset: *ONSETS.get(a)?,
            medial: match b {
                0 => false,
                1 => true,
                _ => return None,
            },
            nucleus: *NUCLEI.get(c)?,
        }),
        1 => Some(UnitKey::Final {
            nucleus: *NUCLEI.get(a)?,
            coda: *CODAS.get(b)?,
            tone: *TONES.get(c)?,
        }),
        _ => Some(UnitKey::Tail {
            nucleus: *NUCLEI.get(a)?,
            coda: *CODAS.get(b)?,
            tone: *TONES.get(c)?,
            next: *Place::ALL.get(kind.checked_sub(2)?)?,
        }),
    }
}

/// Little-endian reads from a slice whose length the caller has already checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u32(&mut self) -> u32 {
        let v = u32::from_le_bytes(
            self.bytes[self.at..self.at + 4]
                .try_into()
                .unwrap_or([0; 4]),
        );
        self.at += 4;
        v
    }
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        out.copy_from_slice(&self.bytes[self.at..self.at + N]);
        self.at += N;
        out
    }
}

impl Inventory {
    /// Serializes the inventory as a unit file.
    ///
    /// # Errors
    /// The same checks as [`Inventory::from_bytes`] (a builder cannot write a file the engine
    /// would refuse), and sizes beyond the format's u32 fields.
    pub fn to_bytes(&self) -> Result<Vec<u8>, FormatError> {
        self.validate()?;
        let too_large = |what| FormatError::TooLarge(what);
        let unit_count = u32::try_from(self.units.len()).map_err(|_| too_large("unit count"))?;
        let total_samples: usize = self.units.iter().map(|u| u.samples.len()).sum();
        let total_marks: usize = self.units.iter().map(|u| u.pitch_marks.len()).sum();
        let total_samples_u32 =
            u32::try_from(total_samples).map_err(|_| too_large("total samples"))?;
        let total_marks_u32 = u32::try_from(total_marks).map_err(|_| too_large("total marks"))?;
        let mut out = Vec::with_capacity(
            HEADER_LEN + ENTRY_LEN * self.units.len() + 2 * total_samples + 4 * total_marks,
        );
        out.extend_from_slice(&MAGIC);
        for v in [
            VERSION,
            self.sample_rate,
            unit_count,
            total_samples_u32,
            total_marks_u32,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let (mut sample_offset, mut mark_offset) = (0u32, 0u32);
        for unit in &self.units {
            // Lengths fit: each is at most the totals checked above.
            let sample_len = unit.samples.len() as u32;
            let mark_len = unit.pitch_marks.len() as u32;
            out.extend_from_slice(&encode_key(&unit.key));
            for v in [
                sample_offset,
                sample_len,
                mark_offset,
                mark_len,
                unit.boundary,
            ] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            sample_offset += sample_len;
            mark_offset += mark_len;
        }
        for unit in &self.units {
            for s in &unit.samples {
                out.extend_from_slice(&s.to_le_bytes());
            }
        }
        for unit in &self.units {
            for m in &unit.pitch_marks {
                out.extend_from_slice(&m.to_le_bytes());
            }
        }
        Ok(out)
    }

    /// Parses and validates a unit file.
    ///
    /// # Errors
    /// The first problem found, with the unit index and key where there is one.
    pub fn from_bytes(bytes: &[u8]) -> Result<Inventory, FormatError> {
        if bytes.len() < HEADER_LEN {
            return Err(FormatError::TooShort {
                len: bytes.len(),
                need: HEADER_LEN,
            });
        }
        let mut r = Reader { bytes, at: 0 };
        let magic: [u8; 8] = r.take();
        if magic != MAGIC {
            return Err(FormatError::Magic { found: magic });
        }
        let version = r.u32();
        if version != VERSION {
            return Err(FormatError::Version {
                found: version,
                expected: VERSION,
            });
        }
        let sample_rate = r.u32();
        if !SAMPLE_RATES.contains(&sample_rate) {
            return Err(FormatError::SampleRate(sample_rate));
        }
        let unit_count = r.u32();
        let total_samples = r.u32();
        let total_marks = r.u32();
        let expected = HEADER_LEN as u64
            + ENTRY_LEN as u64 * u64::from(unit_count)
            + 2 * u64::from(total_samples)
            + 4 * u64::from(total_marks);
        if expected != bytes.len() as u64 {
            return Err(FormatError::Length {
                expected,
                actual: bytes.len() as u64,
            });
        }
        // From here every section is known to be inside `bytes`.
        let samples_at = HEADER_LEN + ENTRY_LEN * unit_count as usize;
        let marks_at = samples_at + 2 * total_samples as usize;
        let mut units = Vec::with_capacity(unit_count as usize);
        let mut seen = HashSet::with_capacity(unit_count as usize);
        for index in 0..unit_count as usize {
            let code: [u8; 4] = r.take();
            let key = decode_key(code).ok_or(FormatError::Key { index, code })?;
            let [sample_offset, sample_len, mark_offset, mark_len, boundary] =
                [r.u32(), r.u32(), r.u32(), r.u32(), r.u32()];
            let range = |what, start: u32, len: u32, total: u32| {
                if u64::from(start) + u64::from(len) > u64::from(total) {
                    Err(FormatError::Range {
                        index,
                        key,
                        what,
                        start,
                        len,
                        total,
                    })
                } else {
                    Ok(())
                }
            };
            range("samples", sample_offset, sample_len, total_samples)?;
            range("pitch marks", mark_offset, mark_len, total_marks)?;
            if !seen.insert(key) {
                return Err(FormatError::Duplicate { index, key });
            }
            let s0 = samples_at + 2 * sample_offset as usize;
            let samples = bytes[s0..s0 + 2 * sample_len as usize]
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect();
            let m0 = marks_at + 4 * mark_offset as usize;
            let pitch_marks = bytes[m0..m0 + 4 * mark_len as usize]
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            let unit = Unit {
                key,
                samples,
                pitch_marks,
                boundary,
            };
            check_unit(index, &unit)?;
            units.push(unit);
        }
        check_tails(&units)?;
        Ok(Inventory { sample_rate, units })
    }

    /// Checks what the file format promises: sample rate, non-empty units, marks strictly
    /// increasing inside the unit, boundary inside the unit (a tail's inside its final unit,
    /// which must exist), no duplicate keys.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), FormatError> {
        if !SAMPLE_RATES.contains(&self.sample_rate) {
            return Err(FormatError::SampleRate(self.sample_rate));
        }
        let mut seen = HashSet::with_capacity(self.units.len());
        for (index, unit) in self.units.iter().enumerate() {
            if u32::try_from(unit.samples.len()).is_err() {
                return Err(FormatError::TooLarge("unit samples"));
            }
            check_unit(index, unit)?;
            if !seen.insert(unit.key) {
                return Err(FormatError::Duplicate {
                    index,
                    key: unit.key,
                });
            }
        }
        check_tails(&self.units)
    }

    /// Reads a unit file (without a manifest, so without the checksum check).
    ///
    /// # Errors
    /// [`VoiceError::Io`] or [`VoiceError::Format`], naming `path`.
    pub fn read(path: &Path) -> Result<Inventory, VoiceError> {
        let bytes = std::fs::read(path).map_err(|source| VoiceError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Inventory::from_bytes(&bytes).map_err(|source| VoiceError::Format {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Writes `dir/units.bin` and `dir/manifest.toml` (creating `dir`), the manifest taking
    /// its identity from `identity` and adding sample rate, version, unit kind and checksum.
    ///
    /// # Errors
    /// An invalid inventory ([`VoiceError::Format`]) or a write failure, naming the file.
    pub fn write(&self, dir: &Path, identity: &VoiceIdentity) -> Result<Manifest, VoiceError> {
        let units_path = dir.join(UNITS_FILE);
        let bytes = self.to_bytes().map_err(|source| VoiceError::Format {
            path: units_path.clone(),
            source,
        })?;
        if !(40.0..=600.0).contains(&identity.reference_f0) {
            return Err(VoiceError::Format {
                path: dir.join(MANIFEST_FILE),
                source: FormatError::ReferenceF0(identity.reference_f0),
            });
        }
        let io = |path: &PathBuf| {
            let path = path.clone();
            move |source| VoiceError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(&dir.to_path_buf()))?;
        write_file(&units_path, &bytes).map_err(io(&units_path))?;
        let manifest = Manifest {
            id: identity.id.clone(),
            name: identity.name.clone(),
            language: identity.language.clone(),
            dialect: identity.dialect.clone(),
            sample_rate: self.sample_rate,
            unit_kind: UNIT_KIND.to_string(),
            version: VERSION,
            reference_f0: identity.reference_f0,
            units: UNITS_FILE.to_string(),
            checksum: checksum_string(&bytes),
        };
        let manifest_path = dir.join(MANIFEST_FILE);
        let text = toml::to_string(&manifest).map_err(|e| VoiceError::Manifest {
            path: manifest_path.clone(),
            message: e.to_string(),
        })?;
        write_file(&manifest_path, text.as_bytes()).map_err(io(&manifest_path))?;
        Ok(manifest)
    }
}

/// What the builder says about a voice; the rest of the manifest is derived when writing.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceIdentity {
    pub id: String,
    pub name: String,
    pub language: String,
    pub dialect: String,
    /// The constant F0 (Hz) the builder voiced every initial unit's vowel part at.
    pub reference_f0: f32,
}

/// Writes via a temporary file and a rename, so a reader never sees half a voice file.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// Checks that every tail's final unit exists and that the tail's splice point lies inside it.
fn check_tails(units: &[Unit]) -> Result<(), FormatError> {
    let finals: HashMap<UnitKey, u32> = units
        .iter()
        .filter(|u| matches!(u.key, UnitKey::Final { .. }))
        .map(|u| (u.key, u.samples.len() as u32))
        .collect();
    for (index, unit) in units.iter().enumerate() {
        let key = unit.key;
        let Some(final_key) = key.final_key() else {
            continue;
        };
        let len = *finals
            .get(&final_key)
            .ok_or(FormatError::TailWithoutFinal { index, key })?;
        if unit.boundary >= len {
            return Err(FormatError::Boundary {
                index,
                key,
                boundary: unit.boundary,
                len,
            });
        }
    }
    Ok(())
}

fn check_unit(index: usize, unit: &Unit) -> Result<(), FormatError> {
    let key = unit.key;
    let len = unit.samples.len() as u32;
    if len == 0 {
        return Err(FormatError::EmptyUnit { index, key });
    }
    // A tail's boundary lies in its final unit (checked by `check_tails`).
    if unit.boundary > len && !matches!(key, UnitKey::Tail { .. }) {
        return Err(FormatError::Boundary {
            index,
            key,
            boundary: unit.boundary,
            len,
        });
    }
    for (i, pair) in unit.pitch_marks.windows(2).enumerate() {
        if pair[1] <= pair[0] {
            return Err(FormatError::MarksNotIncreasing {
                index,
                key,
                mark: i + 1,
                at: pair[1],
            });
        }
    }
    if let Some(&last) = unit.pitch_marks.last() {
        if last >= len {
            return Err(FormatError::MarkOutside {
                index,
                key,
                at: last,
                len,
            });
        }
    }
    Ok(())
}

/// Reads and checks a voice directory's manifest and unit file.
///
/// # Errors
/// Any unreadable file, invalid manifest or unit file, checksum or sample-rate mismatch,
/// naming the file at fault.
pub fn load(dir: &Path) -> Result<(Manifest, Inventory), VoiceError> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&manifest_path).map_err(|source| VoiceError::Io {
        path: manifest_path.clone(),
        source,
    })?;
    let manifest: Manifest = toml::from_str(&text).map_err(|e| VoiceError::Manifest {
        path: manifest_path.clone(),
        message: e.to_string(),
    })?;
    let bad_manifest = |source| VoiceError::Format {
        path: manifest_path.clone(),
        source,
    };
    if manifest.unit_kind != UNIT_KIND {
        return Err(bad_manifest(FormatError::UnitKind(manifest.unit_kind)));
    }
    if manifest.version != VERSION {
        return Err(bad_manifest(FormatError::Version {
            found: manifest.version,
            expected: VERSION,
        }));
    }
    if !(40.0..=600.0).contains(&manifest.reference_f0) {
        return Err(bad_manifest(FormatError::ReferenceF0(
            manifest.reference_f0,
        )));
    }
    if manifest.units.contains('/') || manifest.units.contains('\\') || manifest.units == ".." {
        return Err(VoiceError::Manifest {
            path: manifest_path,
            message: format!(
                "units = {:?} must be a file name in the voice directory",
                manifest.units
            ),
        });
    }
    let units_path = dir.join(&manifest.units);
    let bytes = std::fs::read(&units_path).map_err(|source| VoiceError::Io {
        path: units_path.clone(),
        source,
    })?;
    let bad_units = |source| VoiceError::Format {
        path: units_path.clone(),
        source,
    };
    let actual = checksum_string(&bytes);
    if actual != manifest.checksum {
        return Err(bad_units(FormatError::Checksum {
            expected: manifest.checksum,
            actual,
        }));
    }
    let inventory = Inventory::from_bytes(&bytes).map_err(bad_units)?;
    if inventory.sample_rate != manifest.sample_rate {
        return Err(bad_units(FormatError::SampleRateMismatch {
            file: inventory.sample_rate,
            manifest: manifest.sample_rate,
        }));
    }
    Ok((manifest, inventory))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(key: UnitKey, n: usize) -> Unit {
        let period = 100;
        Unit {
            key,
            samples: (0..n).map(|i| ((i * 37) % 2000) as i16 - 1000).collect(),
            pitch_marks: (0..n as u32).step_by(period).collect(),
            boundary: n as u32 / 2,
        }
    }

    fn small() -> Inventory {
        Inventory {
            sample_rate: 16_000,
            units: vec![
                unit(
                    UnitKey::Initial {
                        onset: Onset::X,
                        medial: true,
                        nucleus: Nucleus::Uo,
                    },
                    900,
                ),
                unit(
                    UnitKey::Final {
                        nucleus: Nucleus::Uo,
                        coda: Coda::U,
                        tone: Tone::Nang,
                    },
                    1500,
                ),
            ],
        }
    }

    #[test]
    fn every_key_code_round_trips() {
        for onset in ONSETS {
            for medial in [false, true] {
                for nucleus in NUCLEI {
                    let key = UnitKey::Initial {
                        onset,
                        medial,
                        nucleus,
                    };
                    assert_eq!(decode_key(encode_key(&key)), Some(key));
                }
            }
        }
        for nucleus in NUCLEI {
            for coda in &CODAS {
                for tone in TONES {
                    let key = UnitKey::Final {
                        nucleus,
                        coda: *coda,
                        tone,
                    };
                    assert_eq!(decode_key(encode_key(&key)), Some(key));
                }
            }
        }
        for next in Place::ALL {
            let key = UnitKey::Tail {
                nucleus: Nucleus::Ie,
                coda: Coda::Ng,
                tone: Tone::Nga,
                next,
            };
            assert_eq!(decode_key(encode_key(&key)), Some(key));
        }
        assert_eq!(decode_key([1, 0, CODAS.len() as u8, 0]), None);
        assert_eq!(decode_key([0, 0, 2, 0]), None);
        assert_eq!(decode_key([6, 0, 0, 0]), None);
        assert_eq!(decode_key([3, 0, 0, TONES.len() as u8]), None);
    }

    #[test]
    fn bytes_round_trip() {
        let inv = small();
        let bytes = inv.to_bytes().unwrap();
        assert_eq!(&bytes[..8], b"LOAUNITS");
        assert_eq!(Inventory::from_bytes(&bytes).unwrap(), inv);
    }

    #[test]
    fn fnv_matches_the_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn writer_refuses_what_the_reader_would_refuse() {
        let mut inv = small();
        inv.units[0].pitch_marks = vec![10, 10];
        assert!(matches!(
            inv.to_bytes(),
            Err(FormatError::MarksNotIncreasing { .. })
        ));
        let mut inv = small();
        inv.units[1].boundary = 5000;
        assert!(matches!(inv.to_bytes(), Err(FormatError::Boundary { .. })));
        let mut inv = small();
        inv.units[1].key = inv.units[0].key;
        assert!(matches!(inv.to_bytes(), Err(FormatError::Duplicate { .. })));
    }
}
