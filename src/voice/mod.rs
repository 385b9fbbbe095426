//! Voices: the unit inventories under `voices/<id>/`, their manifests, loading and lookup.
//!
//! Input: a voices directory. Output: a [`VoiceSet`] of loaded, validated voices.

pub mod builder;
pub mod format;
pub mod inventory;
pub mod synthetic;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What a client may know about a voice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceInfo {
    pub id: String,
    pub name: String,
    pub language: String,
    pub dialect: String,
    pub sample_rate: u32,
}

pub use format::{FormatError, Manifest, VoiceIdentity};
pub use inventory::{Inventory, Place, Unit, UnitKey};

/// A loaded voice, ready to synthesize with: its identity and its validated units.
pub struct Voice {
    pub info: VoiceInfo,
    /// The F0 (Hz) at which the initial units' vowels were voiced (manifest `reference_f0`).
    pub reference_f0: f32,
    pub inventory: Inventory,
    index: HashMap<UnitKey, usize>,
}

impl std::fmt::Debug for Voice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Voice")
            .field("info", &self.info)
            .field("reference_f0", &self.reference_f0)
            .field("units", &self.inventory.units.len())
            .finish()
    }
}

impl Voice {
    /// A voice from an inventory already in memory (tests, benches, the builder's previews).
    pub fn new(info: VoiceInfo, reference_f0: f32, inventory: Inventory) -> Self {
        let index = inventory
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.key, i))
            .collect();
        Voice {
            info,
            reference_f0,
            inventory,
            index,
        }
    }

    /// Loads and validates the voice in `dir` (its `manifest.toml` and unit file).
    ///
    /// # Errors
    /// Any unreadable or invalid file, naming it (see [`format::load`]).
    pub fn load(dir: &Path) -> Result<Self, VoiceError> {
        let (manifest, inventory) = format::load(dir)?;
        let info = VoiceInfo {
            id: manifest.id,
            name: manifest.name,
            language: manifest.language,
            dialect: manifest.dialect,
            sample_rate: manifest.sample_rate,
        };
        Ok(Voice::new(info, manifest.reference_f0, inventory))
    }

    /// The unit with this key, if the voice has it.
    pub fn unit(&self, key: &UnitKey) -> Option<&Unit> {
        self.index.get(key).map(|&i| &self.inventory.units[i])
    }
}

/// Why a voice could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: invalid manifest: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("{path}: {source}")]
    Format {
        path: PathBuf,
        #[source]
        source: FormatError,
    },
    #[error("no voice found in {0}")]
    Empty(PathBuf),
}

/// The voices a process serves, by id, with one default.
#[derive(Debug, Clone)]
pub struct VoiceSet {
    voices: BTreeMap<String, Arc<Voice>>,
    default: String,
}

impl VoiceSet {
    /// Loads every voice directory (one holding a `manifest.toml`) under `dir`.
    ///
    /// # Errors
    /// Any unreadable or invalid voice, naming the file; an empty directory.
    pub fn load_dir(dir: &Path) -> Result<Self, VoiceError> {
        let io = |source| VoiceError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut voices = BTreeMap::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let manifest = entry.path().join("manifest.toml");
            if !manifest.is_file() {
                continue;
            }
            let voice = Voice::load(&entry.path())?;
            voices.insert(voice.info.id.clone(), Arc::new(voice));
        }
        let default = voices
            .keys()
            .next()
            .cloned()
            .ok_or_else(|| VoiceError::Empty(dir.to_path_buf()))?;
        Ok(VoiceSet { voices, default })
    }

    /// The voice with this id; `default` names the default voice.
    pub fn get(&self, id: &str) -> Option<Arc<Voice>> {
        let id = if id == "default" { &self.default } else { id };
        self.voices.get(id).cloned()
    }

    pub fn default_id(&self) -> &str {
        &self.default
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Voice>> {
        self.voices.values()
    }
}

/// The directory holding the built-in voices: `LOA_VOICES`, else `voices/` next to the
/// executable's project, else `./voices`.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LOA_VOICES") {
        return PathBuf::from(dir);
    }
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("voices");
    if built_in.is_dir() {
        return built_in;
    }
    PathBuf::from("voices")
}
