//! The unit inventory: the concatenative units a voice is made of, and their binary file.
//!
//! A voice is a set of demisyllable units (see `voices/README.md`):
//! - an *initial* unit per (onset, medial, nucleus): the onset consonant, the /w/ glide if any,
//!   and the transition into the first target of the nucleus, ending in its steady state;
//! - a *final* unit per (nucleus, coda, tone): from the steady state of the nucleus through its
//!   trajectory and the coda, carrying the tone's pitch contour and phonation.
//!
//! A syllable is spoken as its initial unit joined to its final unit inside the nucleus.

use serde::Serialize;

use crate::text::{Coda, Nucleus, Onset, Syllable, Tone};

/// Which unit a stretch of audio is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum UnitKey {
    Initial {
        onset: Onset,
        medial: bool,
        nucleus: Nucleus,
    },
    Final {
        nucleus: Nucleus,
        coda: Coda,
        tone: Tone,
    },
}

impl UnitKey {
    /// The two units that speak `syllable`, in order.
    pub fn for_syllable(syllable: &Syllable) -> [UnitKey; 2] {
        [
            UnitKey::Initial {
                onset: syllable.onset,
                medial: syllable.medial,
                nucleus: syllable.nucleus,
            },
            UnitKey::Final {
                nucleus: syllable.nucleus,
                coda: syllable.coda,
                tone: syllable.tone,
            },
        ]
    }
}

/// One unit's audio and what pitch and duration modification need to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub key: UnitKey,
    /// Mono 16-bit PCM at the inventory's sample rate.
    pub samples: Vec<i16>,
    /// Sample positions of glottal closures (one per pitch period) in voiced stretches,
    /// strictly increasing.
    pub pitch_marks: Vec<u32>,
    /// For an initial unit, where the vowel begins (end of the consonant); for a final unit,
    /// where the coda begins (end of the vowel). A sample index within `samples`.
    pub boundary: u32,
}

/// All the units of one voice.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    pub sample_rate: u32,
    pub units: Vec<Unit>,
}
