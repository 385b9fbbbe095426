//! Stage 4 of the front end: one spoken Vietnamese syllable → its phonological parts.
//!
//! Input: a syllable in standard spelling (NFC, any case). Output: a [`Syllable`], which can
//! only exist if it is a well-formed Vietnamese syllable (Northern standard, DESIGN.md §3).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// The six tones of Hà Nội Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Tone {
    /// ngang, 33, level (no mark).
    Ngang,
    /// huyền, 21, low falling, breathy (grave: à).
    Huyen,
    /// sắc, 35, rising (acute: á).
    Sac,
    /// hỏi, 312, dipping (hook: ả).
    Hoi,
    /// ngã, 3ʔ5, rising with a glottal break (tilde: ã).
    Nga,
    /// nặng, 21ʔ, low, short, glottalized (dot below: ạ).
    Nang,
}

impl Tone {
    pub const ALL: [Tone; 6] = [
        Tone::Ngang,
        Tone::Huyen,
        Tone::Sac,
        Tone::Hoi,
        Tone::Nga,
        Tone::Nang,
    ];
}

/// The initial consonant, by spelling class (the voice maps classes to sounds per dialect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Onset {
    /// No written initial: a glottal onset ʔ.
    None,
    /// b ɓ
    B,
    /// c, k, q: k
    C,
    /// ch: c
    Ch,
    /// d: z (North)
    D,
    /// đ: ɗ
    Dd,
    /// g, gh: ɣ
    G,
    /// gi: z (North)
    Gi,
    /// h
    H,
    /// kh: x
    Kh,
    /// l
    L,
    /// m
    M,
    /// n
    N,
    /// ng, ngh: ŋ
    Ng,
    /// nh: ɲ
    Nh,
    /// p (loan words: pin, pa-tê)
    P,
    /// ph: f
    Ph,
    /// r: z (North)
    R,
    /// s
    S,
    /// t
    T,
    /// th: tʰ
    Th,
    /// tr: c (North)
    Tr,
    /// v
    V,
    /// x: s
    X,
}

/// The vowel nucleus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Nucleus {
    /// i, y: i
    I,
    /// ê: e
    Ee,
    /// e: ɛ
    E,
    /// ư: ɨ
    Uw,
    /// ơ: ə
    Ow,
    /// â: ə̆ (short)
    Aa,
    /// a: aː
    A,
    /// ă: ă (short; also the short a of "anh", "ach", "ay", "au" by spelling rules of the parser)
    Aw,
    /// u
    U,
    /// ô: o
    Oo,
    /// o: ɔ
    O,
    /// iê, ia, yê, ya: iə
    Ie,
    /// ươ, ưa: ɨə
    Uow,
    /// uô, ua: uə
    Uo,
}

/// The final consonant or off-glide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Coda {
    None,
    /// p
    P,
    /// t
    T,
    /// c: k
    C,
    /// ch (North: palatal k after front vowels)
    Ch,
    /// m
    M,
    /// n
    N,
    /// ng: ŋ
    Ng,
    /// nh (palatal)
    Nh,
    /// i, y: the off-glide j
    I,
    /// o, u: the off-glide w
    U,
}

impl Coda {
    /// Stop codas allow only the sắc and nặng tones.
    pub fn is_stop(self) -> bool {
        matches!(self, Coda::P | Coda::T | Coda::C | Coda::Ch)
    }
}

/// A well-formed Vietnamese syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Syllable {
    pub onset: Onset,
    /// The labial medial /w/ (hoa, quân, thuở).
    pub medial: bool,
    pub nucleus: Nucleus,
    pub coda: Coda,
    pub tone: Tone,
}

/// Why a word is not a Vietnamese syllable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyllableError {
    #[error("`{0}` is not a Vietnamese syllable")]
    NotASyllable(String),
}

impl FromStr for Syllable {
    type Err = SyllableError;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        // Placeholder until the real parser lands: accepts nothing.
        Err(SyllableError::NotASyllable(word.to_string()))
    }
}

impl fmt::Display for Syllable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}
