//! The unit inventory: the concatenative units a voice is made of, and their binary file.
//!
//! A voice is a set of demisyllable units (see `voices/README.md`):
//! - an *initial* unit per (onset, medial, nucleus): the onset consonant, the /w/ glide if any,
//!   and the transition into the first target of the nucleus, ending in its steady state;
//! - a *final* unit per (nucleus, coda, tone): from the steady state of the nucleus through its
//!   trajectory and the coda, carrying the tone's pitch contour and phonation.
//!
//! - a *tail* per (nucleus, coda, tone, next place) for rhymes not closed by a stop: the end
//!   of that final unit re-rendered with its formants moving toward the place of the next
//!   syllable's onset (labial, alveolar, palatal, velar), spliced in when such an onset follows
//!   within the phrase. The anticipation is the cue listeners (and recognizers) take the next
//!   consonant's place from; a final unit alone ends as if nothing followed.
//!
//! A syllable is spoken as its initial unit joined to its final unit inside the nucleus, its
//! final unit's end replaced by a tail when one fits.

use serde::Serialize;

use crate::text::{Coda, Nucleus, Onset, Syllable, Tone};

/// Where the next syllable's onset is made: what a final unit's tail anticipates. Onsets
/// without an oral or nasal constriction (no initial, h) have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Place {
    /// b, m, p, ph, v
    Labial,
    /// đ, t, th, n, l, s, x, d, gi, r
    Alveolar,
    /// ch, tr, nh
    Palatal,
    /// c, k, q, g, gh, kh, ng, ngh
    Velar,
}

impl Place {
    /// Every place, in file-code order.
    pub const ALL: [Place; 4] = [Place::Labial, Place::Alveolar, Place::Palatal, Place::Velar];

    /// The place of `onset`, if it has one.
    pub fn of(onset: Onset) -> Option<Place> {
        use Onset as O;
        match onset {
            O::None | O::H => None,
            O::B | O::M | O::P | O::Ph | O::V => Some(Place::Labial),
            O::Dd | O::T | O::Th | O::N | O::L | O::S | O::X | O::D | O::Gi | O::R => {
                Some(Place::Alveolar)
            }
            O::Ch | O::Tr | O::Nh => Some(Place::Palatal),
            O::C | O::G | O::Kh | O::Ng => Some(Place::Velar),
        }
    }
}

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
    /// The end of final unit (nucleus, coda, tone) before an onset at `next`.
    Tail {
        nucleus: Nucleus,
        coda: Coda,
        tone: Tone,
        next: Place,
    },
}

impl UnitKey {
    /// For a tail, the key of the final unit it ends; `None` for other units.
    pub fn final_key(&self) -> Option<UnitKey> {
        match *self {
            UnitKey::Tail {
                nucleus,
                coda,
                tone,
                ..
            } => Some(UnitKey::Final {
                nucleus,
                coda,
                tone,
            }),
            _ => None,
        }
    }

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
    /// where the coda begins (end of the vowel). A sample index within `samples`. For a tail,
    /// the sample of its final unit where the tail takes over (the two are identical before
    /// it), so it may lie past the tail's own samples.
    pub boundary: u32,
}

impl Unit {
    /// This final unit with its end replaced by `tail` (one of its tails), written into `out`
    /// (reused: no allocation once its buffers are large enough). The tail starts at its
    /// `boundary` in this unit; a splice point past this unit's end is taken as its end.
    pub fn splice_into(&self, tail: &Unit, out: &mut Unit) {
        let at = (tail.boundary as usize).min(self.samples.len());
        out.key = self.key;
        out.samples.clear();
        out.samples.extend_from_slice(&self.samples[..at]);
        out.samples.extend_from_slice(&tail.samples);
        out.pitch_marks.clear();
        out.pitch_marks.extend(
            self.pitch_marks
                .iter()
                .copied()
                .filter(|&m| (m as usize) < at),
        );
        out.pitch_marks
            .extend(tail.pitch_marks.iter().map(|&m| m + at as u32));
        out.boundary = self
            .boundary
            .min(out.samples.len().saturating_sub(1) as u32);
    }
}

/// All the units of one voice.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    pub sample_rate: u32,
    pub units: Vec<Unit>,
}
