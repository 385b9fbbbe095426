//! Phone targets of the voice builder: the readable parameter files under
//! `voices/<id>/build/` (source, vowels, consonants, tones), parsed into typed tables.
//!
//! Input: the build directory. Output: a [`VoiceParams`] that the trajectory rules
//! (`rules.rs`) read. Everything that shapes the voice lives in those files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::text::{Coda, Nucleus, Onset, Tone};
use crate::voice::Place;

/// Why the build parameters could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParamsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Toml { path: PathBuf, message: String },
    #[error("{file}: no entry `{key}`")]
    Missing { file: &'static str, key: String },
}

/// Settings that hold for the whole voice (`source.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Global {
    /// The voice's id, display name and dialect (written into its manifest).
    pub id: String,
    pub name: String,
    pub dialect: String,
    pub sample_rate: u32,
    pub frame_ms: f64,
    /// The constant F0 of every unit's steady state at the joins (Hz).
    pub reference_f0: f64,
    pub seed: u64,
    /// Linear gain from model units to full scale (1.0 = i16 max).
    pub output_gain: f64,
    pub jitter: f64,
    pub shimmer: f64,
    pub creak_f0: f64,
    pub creak_jitter: f64,
    /// Modal open quotient and tilt.
    pub oq: f64,
    pub tilt: f64,
    /// Voicing amplitude of vowels (dB).
    pub vowel_av: f64,
    /// Aspiration noise mixed into modal voicing (dB).
    pub vowel_ah: f64,
    /// How far voicing falls over the voiced rhyme (dB, linear from the nucleus's start to
    /// the end of voicing), as a natural syllable's intensity peaks early in its nucleus and
    /// declines; 0 keeps it level.
    #[serde(default)]
    pub rhyme_decline_db: f64,
    /// All vowel and consonant formant frequencies are multiplied by this.
    pub formant_scale: f64,
    pub f4: f64,
    pub f5: f64,
    /// Centre of the highest parallel (frication) resonator.
    pub f6: f64,
    /// Bandwidths of F1–F5 and of the parallel F6 (Hz).
    pub bw: [f64; 6],
    /// Initial units are rendered after this much of a neutral vowel (ơ) that then fades
    /// out over `fade_ms`, and cut where the unit begins, so their synthesizer state (glottal
    /// cycle, resonators, tilt) is that of running speech, not of rest. 0 renders them from
    /// rest.
    #[serde(default)]
    pub initial_context_ms: f64,
    /// Upward tilt of aspiration noise: 0 white, 1 a first difference.
    pub aspiration_preemph: f64,
    /// F1 bandwidth while aspirating (an open glottis damps F1).
    pub aspiration_b1: f64,
    /// F2, F3 bandwidths during nasal murmur (the closed mouth damps them).
    pub murmur_bw: [f64; 2],
    /// How long the vowel after a nasal onset stays nasalized (ms).
    pub nasal_release_ms: f64,
    pub nasal_pole: f64,
    pub nasal_pole_bw: f64,
    pub nasal_zero_bw: f64,
    /// Steady state at the start of a final unit and the end of an initial unit (ms).
    pub steady_ms: f64,
    /// Discarded settling time before a final unit's steady state (ms).
    pub warmup_ms: f64,
    /// Amplitude fade at the end of a syllable (ms).
    pub fade_ms: f64,
}

/// Rhyme timing (`source.toml`, `[timing]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// Duration after the join point of an open rhyme, of one with a sonorant coda, and of one
    /// with a stop coda (ms), before the tone's factor.
    pub open_ms: f64,
    pub sonorant_ms: f64,
    pub stop_ms: f64,
    /// Share of a rhyme's post-join time spent in the vowel, for long and short vowels.
    pub vowel_share: f64,
    pub short_vowel_share: f64,
    /// Where a diphthong (iê, ươ, uô) leaves its first target and reaches its second, as
    /// shares of the vowel's part of the rhyme.
    pub diphthong_glide: [f64; 2],
    /// Silence of a final stop's closure kept at the end of the unit (ms).
    pub stop_closure_ms: f64,
    /// Medial /w/: hold and transition into the vowel (ms), and its formants.
    pub medial_hold_ms: f64,
    pub medial_trans_ms: f64,
    pub medial_f: [f64; 3],
    /// Whole-sentence speech (`loa voice speak`): pauses and phrase-final lengthening.
    pub comma_pause_ms: f64,
    pub sentence_pause_ms: f64,
    pub final_lengthening: f64,
    /// F0 multiplier at the start and end of a sentence (declination).
    pub declination: [f64; 2],
}

/// A vowel's formant targets (`vowels.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vowel {
    /// F1, F2, F3 (Hz).
    pub f: [f64; 3],
    /// For a diphthong, the targets of its second part.
    #[serde(default)]
    pub to: Option<[f64; 3]>,
    /// Short vowels (ă, â) leave more of the rhyme to the coda.
    #[serde(default)]
    pub short: bool,
    /// Codas (spelled as in `consonants.toml`) before which the vowel is short as well.
    #[serde(default, deserialize_with = "coda_list")]
    pub short_before: Vec<Coda>,
}

/// Coda spellings → codas; a spelling no coda has is an error naming it.
fn coda_list<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<Coda>, D::Error> {
    let names = Vec::<String>::deserialize(de)?;
    (names.iter())
        .map(|n| {
            (Coda::ALL.into_iter().find(|&c| coda_name(c) == n))
                .ok_or_else(|| serde::de::Error::custom(format!("names no coda: `{n}`")))
        })
        .collect()
}

/// How a consonant is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Manner {
    Stop,
    Affricate,
    Fricative,
    Nasal,
    Lateral,
    /// h: aspiration through the vowel's formants.
    Aspirate,
    /// No written onset: a glottal attack.
    Glottal,
}

/// An onset consonant (`consonants.toml`, `[onset.<spelling>]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnsetParams {
    pub manner: Manner,
    /// Closure (stops, affricates) or constriction (others) before the release (ms).
    #[serde(default)]
    pub closure_ms: f64,
    /// Aspiration or frication after the release, before voicing (ms).
    #[serde(default)]
    pub release_ms: f64,
    #[serde(default)]
    pub burst_db: f64,
    #[serde(default = "default_burst_ms")]
    pub burst_ms: f64,
    /// Frication level (dB) and its spectrum: parallel gains of F2…F6 and the bypass (dB).
    #[serde(default)]
    pub noise_db: f64,
    #[serde(default = "default_noise")]
    pub noise: [f64; 6],
    /// Burst spectrum (defaults to the frication spectrum).
    #[serde(default)]
    pub burst_noise: Option<[f64; 6]>,
    /// Aspiration into the cascade (dB), during release (stops) or the whole consonant (h).
    #[serde(default)]
    pub asp_db: f64,
    /// Voicing during the closure or constriction (dB; 0 = voiceless).
    #[serde(default)]
    pub av_db: f64,
    /// F1, F2, F3 at the constriction. An F2 or F3 of 0 follows the vowel (velars).
    pub locus: [f64; 3],
    /// The velar pinch, for an F3 that follows the vowel: [gap, most] starts F3 `gap` Hz
    /// above F2's start, but no more than `most` Hz below the vowel's F3.
    #[serde(default)]
    pub pinch: Option<[f64; 2]>,
    /// Share of the way from the locus to the vowel already made at the release.
    #[serde(default = "default_pull")]
    pub pull: f64,
    /// Formant transition into the vowel (ms).
    #[serde(default = "default_trans")]
    pub trans_ms: f64,
    /// Nasal antiresonance (nasals).
    #[serde(default)]
    pub nasal_zero: f64,
}

/// A coda (`consonants.toml`, `[coda.<spelling>]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodaParams {
    pub kind: CodaKind,
    /// Targets of the glide or place of the closure: F1, F2, F3.
    #[serde(default)]
    pub locus: [f64; 3],
    /// Targets after the rounded vowels o, ô, u (labial-velar ŋ͡m, k͡p).
    #[serde(default)]
    pub round_locus: Option<[f64; 3]>,
    #[serde(default = "default_trans")]
    pub trans_ms: f64,
    /// How far the formants go toward the locus (1 = all the way).
    #[serde(default = "default_reach")]
    pub reach: f64,
    #[serde(default)]
    pub nasal_zero: f64,
    #[serde(default)]
    pub round_nasal_zero: Option<f64>,
    /// Murmur voicing level (dB) for nasal codas.
    #[serde(default)]
    pub murmur_db: f64,
    /// The vowel before it is fronted to these F1/F2 (anh, ach).
    #[serde(default)]
    pub front_low_vowels: Option<[f64; 2]>,
}

/// Which way a rhyme ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodaKind {
    Open,
    Glide,
    Nasal,
    Stop,
}

/// A tone's pitch and phonation over the rhyme (`tones.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToneParams {
    /// (time as a share of the rhyme, F0 as a multiple of the reference F0).
    pub f0: Vec<[f64; 2]>,
    /// Rhyme duration factor.
    #[serde(default = "one")]
    pub dur: f64,
    /// Spans (shares of the rhyme) of creaky voice.
    #[serde(default)]
    pub creak: Vec<[f64; 2]>,
    /// Spans of reduced voicing (start, end, dB drop): a glottal break.
    #[serde(default)]
    pub dip: Vec<[f64; 3]>,
    /// Breathy voice, 0–1.
    #[serde(default)]
    pub breathy: f64,
    /// Breathy-voice open quotient, tilt and added aspiration (dB) at `breathy = 1`.
    #[serde(default)]
    pub breathy_oq: f64,
    #[serde(default)]
    pub breathy_tilt: f64,
    #[serde(default)]
    pub breathy_ah: f64,
    /// Voicing falls this many dB over the last quarter (glottal constriction of nặng).
    #[serde(default)]
    pub end_drop_db: f64,
}

fn default_burst_ms() -> f64 {
    6.0
}
fn default_noise() -> [f64; 6] {
    [-60.0, -60.0, -60.0, -60.0, -60.0, 0.0]
}
fn default_pull() -> f64 {
    0.4
}
fn default_trans() -> f64 {
    45.0
}
fn default_reach() -> f64 {
    0.8
}
fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFile {
    global: Global,
    timing: Timing,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VowelFile {
    vowel: BTreeMap<String, Vowel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsonantFile {
    /// Spelling classes that sound alike share an entry: `gi = "d"`.
    #[serde(default)]
    alias: BTreeMap<String, String>,
    onset: BTreeMap<String, OnsetParams>,
    coda: BTreeMap<String, CodaParams>,
    anticipation: Anticipation,
}

/// How a rhyme's end anticipates the next syllable's onset (`consonants.toml`,
/// `[anticipation]`): over its last `ms`, F1–F3 move `reach` of the way toward the place's
/// locus (a locus entry of 0 keeps the rhyme's own formant, as velars do for F2 and F3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anticipation {
    pub ms: f64,
    pub reach: f64,
    pub labial: [f64; 3],
    pub alveolar: [f64; 3],
    pub palatal: [f64; 3],
    pub velar: [f64; 3],
}

impl Anticipation {
    /// The locus the rhyme moves toward before an onset at `place`.
    pub fn locus(&self, place: Place) -> [f64; 3] {
        match place {
            Place::Labial => self.labial,
            Place::Alveolar => self.alveolar,
            Place::Palatal => self.palatal,
            Place::Velar => self.velar,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ToneFile {
    tone: BTreeMap<String, ToneParams>,
}

/// Every parameter of one voice, resolved per phone.
#[derive(Debug, Clone)]
pub struct VoiceParams {
    pub global: Global,
    pub timing: Timing,
    vowels: BTreeMap<Nucleus, Vowel>,
    onsets: BTreeMap<Onset, OnsetParams>,
    codas: BTreeMap<Coda, CodaParams>,
    tones: BTreeMap<(Tone, bool), ToneParams>,
    pub anticipation: Anticipation,
}

/// The file-name spelling of each onset class.
pub fn onset_name(o: Onset) -> &'static str {
    match o {
        Onset::None => "none",
        Onset::B => "b",
        Onset::C => "c",
        Onset::Ch => "ch",
        Onset::D => "d",
        Onset::Dd => "dd",
        Onset::G => "g",
        Onset::Gi => "gi",
        Onset::H => "h",
        Onset::Kh => "kh",
        Onset::L => "l",
        Onset::M => "m",
        Onset::N => "n",
        Onset::Ng => "ng",
        Onset::Nh => "nh",
        Onset::P => "p",
        Onset::Ph => "ph",
        Onset::R => "r",
        Onset::S => "s",
        Onset::T => "t",
        Onset::Th => "th",
        Onset::Tr => "tr",
        Onset::V => "v",
        Onset::X => "x",
    }
}

/// The file-name spelling of each nucleus.
pub fn nucleus_name(n: Nucleus) -> &'static str {
    match n {
        Nucleus::I => "i",
        Nucleus::Ee => "ee",
        Nucleus::E => "e",
        Nucleus::Uw => "uw",
        Nucleus::Ow => "ow",
        Nucleus::Aa => "aa",
        Nucleus::A => "a",
        Nucleus::Aw => "aw",
        Nucleus::U => "u",
        Nucleus::Oo => "oo",
        Nucleus::O => "o",
        Nucleus::Ie => "ie",
        Nucleus::Uow => "uow",
        Nucleus::Uo => "uo",
    }
}

/// The file-name spelling of each coda.
pub fn coda_name(c: Coda) -> &'static str {
    match c {
        Coda::None => "none",
        Coda::P => "p",
        Coda::T => "t",
        Coda::C => "c",
        Coda::Ch => "ch",
        Coda::M => "m",
        Coda::N => "n",
        Coda::Ng => "ng",
        Coda::Nh => "nh",
        Coda::I => "i",
        Coda::U => "u",
    }
}

/// The file-name of each tone.
pub fn tone_name(t: Tone) -> &'static str {
    match t {
        Tone::Ngang => "ngang",
        Tone::Huyen => "huyen",
        Tone::Sac => "sac",
        Tone::Hoi => "hoi",
        Tone::Nga => "nga",
        Tone::Nang => "nang",
    }
}

fn read<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T, ParamsError> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|source| ParamsError::Io {
        path: path.clone(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ParamsError::Toml {
        path,
        message: e.to_string(),
    })
}

impl VoiceParams {
    /// Reads `source.toml`, `vowels.toml`, `consonants.toml` and `tones.toml` from `dir`.
    ///
    /// # Errors
    /// An unreadable or malformed file, or a phone with no entry, naming the file.
    pub fn load(dir: &Path) -> Result<Self, ParamsError> {
        let source: SourceFile = read(dir, "source.toml")?;
        let vowel_file: VowelFile = read(dir, "vowels.toml")?;
        let cons: ConsonantFile = read(dir, "consonants.toml")?;
        let tone_file: ToneFile = read(dir, "tones.toml")?;
        let mut vowels = BTreeMap::new();
        for n in Nucleus::ALL {
            let key = nucleus_name(n);
            let v = vowel_file.vowel.get(key).ok_or(ParamsError::Missing {
                file: "vowels.toml",
                key: key.into(),
            })?;
            vowels.insert(n, v.clone());
        }
        let mut onsets = BTreeMap::new();
        for o in Onset::ALL {
            let name = onset_name(o);
            let key = cons.alias.get(name).map(String::as_str).unwrap_or(name);
            let p = cons.onset.get(key).ok_or(ParamsError::Missing {
                file: "consonants.toml",
                key: format!("onset.{key}"),
            })?;
            onsets.insert(o, p.clone());
        }
        let mut codas = BTreeMap::new();
        for c in Coda::ALL {
            let key = coda_name(c);
            let p = cons.coda.get(key).ok_or(ParamsError::Missing {
                file: "consonants.toml",
                key: format!("coda.{key}"),
            })?;
            codas.insert(c, p.clone());
        }
        let mut tones = BTreeMap::new();
        for t in Tone::ALL {
            for stop in [false, true] {
                let base = tone_name(t);
                let stop_key = format!("{base}_stop");
                let key = if stop && tone_file.tone.contains_key(&stop_key) {
                    stop_key
                } else {
                    base.to_string()
                };
                let p = tone_file.tone.get(&key).ok_or(ParamsError::Missing {
                    file: "tones.toml",
                    key: key.clone(),
                })?;
                tones.insert((t, stop), p.clone());
            }
        }
        Ok(VoiceParams {
            global: source.global,
            timing: source.timing,
            vowels,
            onsets,
            codas,
            tones,
            anticipation: cons.anticipation,
        })
    }

    /// The targets of a nucleus.
    pub fn vowel(&self, n: Nucleus) -> &Vowel {
        &self.vowels[&n]
    }

    /// How an onset class is spoken.
    pub fn onset(&self, o: Onset) -> &OnsetParams {
        &self.onsets[&o]
    }

    /// How a coda is spoken.
    pub fn coda(&self, c: Coda) -> &CodaParams {
        &self.codas[&c]
    }

    /// A tone's contour and phonation, in a rhyme with (`stop`) or without a stop coda.
    pub fn tone(&self, t: Tone, stop: bool) -> &ToneParams {
        &self.tones[&(t, stop)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_parameters_load_and_cover_every_phone() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/northern/build");
        let p = VoiceParams::load(&dir).expect("voice parameters");
        for n in Nucleus::ALL {
            assert!(p.vowel(n).f[0] > 100.0);
        }
        for o in Onset::ALL {
            assert!(p.onset(o).locus[0] > 0.0, "{o:?}");
        }
        assert!(p.global.reference_f0 > 50.0);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() {
        let err = VoiceParams::load(Path::new("/nonexistent/loa")).unwrap_err();
        assert!(err.to_string().contains("source.toml"));
    }

    #[test]
    fn a_vowel_short_before_an_unknown_coda_is_an_error_naming_it() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/northern/build");
        let dir = std::env::temp_dir().join(format!("loa-params-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["source.toml", "consonants.toml", "tones.toml"] {
            std::fs::copy(shipped.join(f), dir.join(f)).unwrap();
        }
        let vowels = std::fs::read_to_string(shipped.join("vowels.toml")).unwrap();
        let bad = vowels.replacen(
            r#"short_before = ["nh", "ch"]"#,
            r#"short_before = ["nh", "kh"]"#,
            1,
        );
        assert_ne!(bad, vowels, "the shipped vowels name short_before codas");
        std::fs::write(dir.join("vowels.toml"), bad).unwrap();
        let err = VoiceParams::load(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("vowels.toml") && err.contains("`kh`"), "{err}");
    }
}
