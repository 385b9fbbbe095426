//! Stage 4 of the front end: one spoken Vietnamese syllable → its phonological parts.
//!
//! Input: a syllable in standard spelling (NFC, any case). Output: a [`Syllable`], which can
//! only exist if it is a well-formed Vietnamese syllable (Northern standard, DESIGN.md §3).
//!
//! Spelling rules the parser knows: c/k/q (k before i, y, e, ê; q only as "qu" = c + medial),
//! g/gh and ng/ngh (gh, ngh before i, e, ê), gi (gì = gi + i, giếng = gi + iê), the medial
//! written o before a, ă, e and u elsewhere (hoa, khỏe, thuở, huy, thuê, tuần), iê/yê/ia/ya,
//! ươ/ưa, uô/ua (but "qua" = qu + a, "quốc" = qu + uô + c), the off-glides (ai, ay = ă + i,
//! ao = a + u, au = ă + u, âu, ây, eo), and "anh/ach" = e + nh/ch (see [`Nucleus::E`]).
//! Both tone-mark placements parse (hoà/hòa, thuỷ/thủy), as do the i/y variants (lý/lí).
//! [`Syllable`]'s `Display` writes one canonical spelling (hòa, thủy, lý, sĩ, quý), and
//! [`Syllable::all`] lists the whole space the voice must cover.

use std::fmt::{self, Write as _};
use std::str::FromStr;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use serde::Serialize;

use super::hash::FnvMap;

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
    /// The six tones in their traditional order (ngang, huyền, sắc, hỏi, ngã, nặng).
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
    /// e: ɛ. Also the vowel of "anh" and "ach": the parser reads them as e + nh / e + ch
    /// (Northern [ɛ̆ɲ], [ɛ̆c], a fronted short vowel before the palatal coda), so "anh" is
    /// `E` + `Nh`, "hoạch" is `H` + medial + `E` + `Ch`.
    E,
    /// ư: ɨ
    Uw,
    /// ơ: ə
    Ow,
    /// â: ə̆ (short)
    Aa,
    /// a: aː
    A,
    /// ă: ă (short; also the short a of "ay" and "au": ay = `Aw` + `I`, au = `Aw` + `U`)
    Aw,
    /// u
    U,
    /// ô: o
    Oo,
    /// o: ɔ. The long "oo" of loan words (xoong, boong, moóc) is read as this vowel too.
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

/// The vowel letters with their six tone forms, in [`Tone::ALL`] order.
const VOWELS: [[char; 6]; 12] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

/// Splits a lowercase letter into its toneless letter and its tone (`None` for consonants and
/// unmarked vowels), or `None` when it is not a Vietnamese letter at all.
pub(crate) fn split_tone(c: char) -> Option<(char, Option<Tone>)> {
    if c.is_ascii() {
        return match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' => Some((c, None)),
            'b' | 'c' | 'd' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'p' | 'q' | 'r' | 's' | 't'
            | 'v' | 'x' => Some((c, None)),
            _ => None,
        };
    }
    if c == 'đ' {
        return Some((c, None));
    }
    let letters = marked_letters();
    let i = letters.binary_search_by_key(&c, |&(v, _, _)| v).ok()?;
    let (_, base, tone) = letters[i];
    Some((base, tone))
}

/// Every non-ASCII vowel letter with its toneless letter and tone, sorted for lookup.
fn marked_letters() -> &'static [(char, char, Option<Tone>)] {
    static LETTERS: OnceLock<Vec<(char, char, Option<Tone>)>> = OnceLock::new();
    LETTERS.get_or_init(|| {
        let mut letters: Vec<_> = VOWELS
            .iter()
            .flat_map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(i, &v)| (v, row[0], (i > 0).then_some(Tone::ALL[i])))
            })
            .filter(|(v, _, _)| !v.is_ascii())
            .collect();
        letters.sort_unstable_by_key(|&(v, _, _)| v);
        letters
    })
}

/// A Vietnamese letter of either case → its lowercase toneless letter, its tone, and whether
/// it was uppercase; `None` for anything else. Ð/ð (U+00D0/U+00F0) are read as Đ/đ.
pub(crate) fn split_letter(c: char) -> Option<(char, Option<Tone>, bool)> {
    if c.is_ascii() {
        let lower = c.to_ascii_lowercase();
        return split_tone(lower).map(|(base, tone)| (base, tone, c != lower));
    }
    // The front end asks this of every letter of every word: index the two Unicode blocks
    // that hold the non-ASCII Vietnamese letters directly instead of searching a list.
    let tables = letter_tables();
    let code = c as usize;
    if code < LATIN_END {
        tables.latin[code - 0x80]
    } else if (VIETNAMESE_START..VIETNAMESE_END).contains(&code) {
        tables.vietnamese[code - VIETNAMESE_START]
    } else {
        None
    }
}

/// [`split_letter`]'s answer for one character.
type LetterEntry = Option<(char, Option<Tone>, bool)>;

/// End of Latin-1 and Latin Extended-A/B (đ, ơ, ư and the Latin-1 marked vowels).
const LATIN_END: usize = 0x250;
/// Latin Extended Additional, the block of Vietnamese letters with a tone mark (ạ … ỹ).
const VIETNAMESE_START: usize = 0x1EA0;
const VIETNAMESE_END: usize = 0x1EFA;

struct LetterTables {
    /// U+0080..U+0250.
    latin: [LetterEntry; LATIN_END - 0x80],
    /// U+1EA0..U+1EFA.
    vietnamese: [LetterEntry; VIETNAMESE_END - VIETNAMESE_START],
}

/// Every non-ASCII Vietnamese letter of either case, and the stand-ins Ð/ð, as
/// (letter, lowercase toneless letter, tone, uppercase).
fn non_ascii_letters() -> impl Iterator<Item = (char, char, Option<Tone>, bool)> {
    marked_letters()
        .iter()
        .flat_map(|&(v, base, tone)| {
            let upper = v.to_uppercase().next().unwrap_or(v);
            [(v, base, tone, false), (upper, base, tone, true)]
        })
        .chain([
            ('đ', 'đ', None, false),
            ('Đ', 'đ', None, true),
            ('ð', 'đ', None, false),
            ('Ð', 'đ', None, true),
        ])
}

fn letter_tables() -> &'static LetterTables {
    static TABLES: OnceLock<LetterTables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut tables = LetterTables {
            latin: [None; LATIN_END - 0x80],
            vietnamese: [None; VIETNAMESE_END - VIETNAMESE_START],
        };
        for (letter, base, tone, upper) in non_ascii_letters() {
            let code = letter as usize;
            let slot = if code < LATIN_END {
                &mut tables.latin[code - 0x80]
            } else {
                &mut tables.vietnamese[code - VIETNAMESE_START]
            };
            *slot = Some((base, tone, upper));
        }
        tables
    })
}

/// Puts `tone` on a toneless vowel letter; other letters come back unchanged.
pub(crate) fn with_tone(c: char, tone: Tone) -> char {
    let index = Tone::ALL.iter().position(|&t| t == tone).unwrap_or(0);
    VOWELS
        .iter()
        .find(|row| row[0] == c)
        .map_or(c, |row| row[index])
}

impl Nucleus {
    /// Every nucleus, in declaration order.
    pub const ALL: [Nucleus; 14] = [
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

    /// The codas this nucleus takes without a medial (Northern standard spelling).
    fn codas(self) -> &'static [Coda] {
        use Coda::*;
        match self {
            Nucleus::I | Nucleus::Ee => &[None, P, T, Ch, M, N, Nh, U],
            // e + nh/ch is written "anh", "ach" (see [`Nucleus::E`]).
            Nucleus::E => &[None, P, T, C, M, N, Ng, Nh, Ch, U],
            Nucleus::A => &[None, P, T, C, M, N, Ng, I, U],
            Nucleus::Aw | Nucleus::Aa => &[P, T, C, M, N, Ng, I, U],
            Nucleus::Uw => &[None, T, C, M, N, Ng, I, U],
            Nucleus::Ow => &[None, P, T, M, N, I],
            Nucleus::U | Nucleus::Oo | Nucleus::O => &[None, P, T, C, M, N, Ng, I],
            Nucleus::Ie => &[None, P, T, C, M, N, Ng, U],
            Nucleus::Uow => &[None, P, T, C, M, N, Ng, I, U],
            Nucleus::Uo => &[None, T, C, M, N, Ng, I],
        }
    }

    /// The codas this nucleus takes after the medial /w/ (hoa, tuấn, huynh, quyết).
    fn codas_after_medial(self) -> &'static [Coda] {
        use Coda::*;
        match self {
            Nucleus::A => &[None, P, T, C, M, N, Ng, I, U],
            Nucleus::Aw => &[P, T, C, M, N, Ng, I, U],
            Nucleus::E => &[None, T, C, M, N, Ng, U, Nh, Ch],
            Nucleus::Ee => &[None, T, N, Ch, Nh, U],
            Nucleus::Aa => &[T, C, N, Ng, I],
            Nucleus::Ow => &[None, N, I],
            Nucleus::I => &[None, P, T, Ch, N, Nh, U],
            Nucleus::Ie => &[None, T, N],
            // Only "quốc": qu + uô + c.
            Nucleus::Uo => &[C],
            Nucleus::Uw | Nucleus::U | Nucleus::Oo | Nucleus::O | Nucleus::Uow => &[],
        }
    }
}

impl Onset {
    /// Every onset, in declaration order.
    pub const ALL: [Onset; 24] = [
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

    /// Whether the onset is a voiceless obstruent (p, t, th, c, ch, tr, kh, ph, s, x, h): the
    /// vocal folds are apart or stiff through it and start vibrating only at the vowel.
    pub fn is_voiceless(self) -> bool {
        matches!(
            self,
            Onset::P
                | Onset::T
                | Onset::Th
                | Onset::C
                | Onset::Ch
                | Onset::Tr
                | Onset::Kh
                | Onset::Ph
                | Onset::S
                | Onset::X
                | Onset::H
        )
    }
}

impl Coda {
    /// Every coda, in declaration order.
    pub const ALL: [Coda; 11] = [
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
}

impl Tone {
    /// Whether this tone can stand on a syllable with this coda (stops take only sắc and nặng).
    pub fn fits(self, coda: Coda) -> bool {
        !coda.is_stop() || matches!(self, Tone::Sac | Tone::Nang)
    }
}

impl Syllable {
    /// Whether onset, medial, nucleus and coda make a syllable of standard Vietnamese
    /// (Northern), leaving the tone aside.
    pub fn is_valid_segmental(onset: Onset, medial: bool, nucleus: Nucleus, coda: Coda) -> bool {
        let codas = if medial {
            nucleus.codas_after_medial()
        } else {
            nucleus.codas()
        };
        if !codas.contains(&coda) {
            return false;
        }
        if medial {
            // The labial initials take the labial medial only in loan words before a and y
            // (voan, moa, buýt, phuy); gi never does. uô after the medial is only written
            // after q ("quốc").
            let labial = matches!(onset, Onset::B | Onset::M | Onset::P | Onset::Ph | Onset::V);
            if onset == Onset::Gi || (labial && !matches!(nucleus, Nucleus::A | Nucleus::I)) {
                return false;
            }
            if nucleus == Nucleus::Uo && onset != Onset::C {
                return false;
            }
        }
        if onset == Onset::Gi {
            // "gia" is gi + a and "giu" is gi + u, so gi + ia and gi + iu cannot be written.
            if nucleus == Nucleus::Ie && coda == Coda::None {
                return false;
            }
            if nucleus == Nucleus::I && coda == Coda::U {
                return false;
            }
            // "giêng" is gi + iê; gi + ê is only the open "giê".
            if nucleus == Nucleus::Ee && coda != Coda::None {
                return false;
            }
        }
        true
    }

    /// Whether this is a well-formed syllable (segments and tone).
    pub fn is_valid(&self) -> bool {
        Self::is_valid_segmental(self.onset, self.medial, self.nucleus, self.coda)
            && self.tone.fits(self.coda)
    }

    /// Every valid Vietnamese syllable, each once, in a fixed order.
    ///
    /// This is the space the voice must cover: every onset, medial, nucleus, coda and tone that
    /// standard spelling can write and Northern phonotactics allows.
    pub fn all() -> impl Iterator<Item = Syllable> {
        Onset::ALL.into_iter().flat_map(|onset| {
            [false, true].into_iter().flat_map(move |medial| {
                Nucleus::ALL.into_iter().flat_map(move |nucleus| {
                    Coda::ALL
                        .into_iter()
                        .filter(move |&coda| Self::is_valid_segmental(onset, medial, nucleus, coda))
                        .flat_map(move |coda| {
                            Tone::ALL
                                .into_iter()
                                .filter(move |tone| tone.fits(coda))
                                .map(move |tone| Syllable {
                                    onset,
                                    medial,
                                    nucleus,
                                    coda,
                                    tone,
                                })
                        })
                })
            })
        })
    }

    /// The same syllable with another tone.
    pub fn with_tone(self, tone: Tone) -> Syllable {
        Syllable { tone, ..self }
    }

    /// Standard spelling in lowercase, with the index (in chars) of the letter carrying the
    /// tone mark.
    fn spell(&self) -> (Letters, usize) {
        let closed = self.coda != Coda::None;
        let qu = self.onset == Onset::C && self.medial;
        // The nucleus as written, and which of its letters takes the tone mark.
        let (nucleus, mark): (&str, usize) = match self.nucleus {
            Nucleus::I => {
                let y = self.medial
                    || (!closed
                        && matches!(
                            self.onset,
                            Onset::None | Onset::H | Onset::C | Onset::L | Onset::M | Onset::T
                        ));
                (if y { "y" } else { "i" }, 0)
            }
            Nucleus::Ee => ("ê", 0),
            Nucleus::E => (
                if matches!(self.coda, Coda::Nh | Coda::Ch) {
                    "a"
                } else {
                    "e"
                },
                0,
            ),
            Nucleus::Uw => ("ư", 0),
            Nucleus::Ow => ("ơ", 0),
            Nucleus::Aa => ("â", 0),
            Nucleus::A => ("a", 0),
            Nucleus::Aw => (
                if matches!(self.coda, Coda::I | Coda::U) {
                    "a"
                } else {
                    "ă"
                },
                0,
            ),
            Nucleus::U => ("u", 0),
            Nucleus::Oo => ("ô", 0),
            Nucleus::O => ("o", 0),
            Nucleus::Ie => match (closed, self.medial || self.onset == Onset::None) {
                (true, true) => ("yê", 1),
                (true, false) => ("iê", 1),
                (false, _) if self.medial => ("ya", 0),
                (false, _) => ("ia", 0),
            },
            Nucleus::Uow => {
                if closed {
                    ("ươ", 1)
                } else {
                    ("ưa", 0)
                }
            }
            // After "qu" the u of uô is already written.
            Nucleus::Uo if qu => (if closed { "ô" } else { "a" }, 0),
            Nucleus::Uo => {
                if closed {
                    ("uô", 1)
                } else {
                    ("ua", 0)
                }
            }
        };
        let coda = match self.coda {
            Coda::None => "",
            Coda::P => "p",
            Coda::T => "t",
            Coda::C => "c",
            Coda::Ch => "ch",
            Coda::M => "m",
            Coda::N => "n",
            Coda::Ng => "ng",
            Coda::Nh => "nh",
            Coda::I => {
                if matches!(self.nucleus, Nucleus::Aw | Nucleus::Aa) {
                    "y"
                } else {
                    "i"
                }
            }
            Coda::U => {
                if matches!(self.nucleus, Nucleus::A | Nucleus::E) {
                    "o"
                } else {
                    "u"
                }
            }
        };
        let medial = if !self.medial || qu {
            ""
        } else if nucleus.starts_with(['a', 'ă', 'e']) {
            "o"
        } else {
            "u"
        };
        let first = medial.chars().chain(nucleus.chars()).next().unwrap_or('a');
        let front = matches!(first, 'i' | 'y' | 'e' | 'ê');
        let onset = match self.onset {
            Onset::None => "",
            Onset::B => "b",
            Onset::C if qu => "qu",
            Onset::C if front => "k",
            Onset::C => "c",
            Onset::Ch => "ch",
            Onset::D => "d",
            Onset::Dd => "đ",
            Onset::G if front => "gh",
            Onset::G => "g",
            Onset::Gi if first == 'i' => "g",
            Onset::Gi => "gi",
            Onset::H => "h",
            Onset::Kh => "kh",
            Onset::L => "l",
            Onset::M => "m",
            Onset::N => "n",
            Onset::Ng if front => "ngh",
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
        };
        let onset_len = onset.chars().count();
        let medial_len = medial.chars().count();
        // Open oa, oe, uy take the mark on the medial letter: hòa, khỏe, thủy (not after qu).
        let on_medial = !medial.is_empty()
            && !closed
            && matches!(self.nucleus, Nucleus::A | Nucleus::E | Nucleus::I);
        let at = if on_medial {
            onset_len
        } else {
            onset_len + medial_len + mark
        };
        let mut letters = Letters::default();
        for c in onset
            .chars()
            .chain(medial.chars())
            .chain(nucleus.chars())
            .chain(coda.chars())
        {
            letters.push(c);
        }
        (letters, at)
    }
}

/// The letters of one spelled syllable, without a heap allocation (the longest, "nghiêng"
/// and "khuyếch", have 7).
#[derive(Debug, Default, Clone, Copy)]
struct Letters {
    chars: [char; 8],
    len: usize,
}

impl Letters {
    fn push(&mut self, c: char) {
        self.chars[self.len] = c;
        self.len += 1;
    }
}

impl std::ops::Deref for Letters {
    type Target = [char];

    fn deref(&self) -> &[char] {
        &self.chars[..self.len]
    }
}

/// Toneless spelling → segments, for every valid syllable and its accepted variant spellings.
type Table = FnvMap<String, (Onset, bool, Nucleus, Coda)>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table::default();
        let mut variants = Vec::new();
        for s in Syllable::all().filter(|s| s.tone == Tone::Sac) {
            let (letters, _) = s.spell();
            let key: String = letters.iter().collect();
            let value = (s.onset, s.medial, s.nucleus, s.coda);
            // i/y in open syllables after a consonant (lý/lí, kỹ/kĩ, sĩ/sỹ), a lone y/i
            // (ý/í), and qui/quy, quít/quýt.
            if s.nucleus == Nucleus::I && s.onset != Onset::Gi {
                if !s.medial && s.coda == Coda::None {
                    let swapped = key.replace('i', "y");
                    variants.push((
                        if swapped == key {
                            key.replace('y', "i")
                        } else {
                            swapped
                        },
                        value,
                    ));
                }
                if s.medial && s.onset == Onset::C && s.coda != Coda::U {
                    variants.push((key.replacen("quy", "qui", 1), value));
                }
            }
            // Place names of the Central Highlands and the North write k where the standard
            // spelling has c: Kon Tum, Hồng Kông, Bắc Kạn, Đắk Lắk, Đắk Nông.
            if s.onset == Onset::C && !s.medial && key.starts_with('c') {
                variants.push((format!("k{}", &key[1..]), value));
            }
            if s.coda == Coda::C {
                if let Some(stem) = key.strip_suffix('c') {
                    variants.push((format!("{stem}k"), value));
                    if s.onset == Onset::C && !s.medial {
                        if let Some(rest) = stem.strip_prefix('c') {
                            variants.push((format!("k{rest}k"), value));
                        }
                    }
                }
            }
            // "oo" in loan words (xoong, boong, moóc) is read as o.
            if s.nucleus == Nucleus::O && !s.medial && matches!(s.coda, Coda::Ng | Coda::C) {
                variants.push((key.replacen('o', "oo", 1), value));
            }
            table.insert(key, value);
        }
        for (key, value) in variants {
            table.entry(key).or_insert(value);
        }
        table
    })
}

/// A toneless vowel letter.
fn is_vowel_letter(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// ă, â, ê, ô, ơ, ư: the letters that carry the tone mark wherever they stand.
fn has_hat_or_horn(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

/// Moves the tone mark of one written syllable to its canonical place (hoà → hòa, uỷ → ủy,
/// HOÀ → HÒA), keeping the letters and their case.
///
/// Returns `None` when nothing moves: the word is not a syllable, has no tone mark, already
/// has it in place, or is spelled with a variant this function leaves alone (lí, qui).
pub fn with_canonical_tone_mark(word: &str) -> Option<String> {
    // A quick look first: most marks are already in place. The mark is on a letter with a
    // hat or horn (người, đồng; but not ư before ơ), or on the vowel before a final consonant
    // (toán, tiếng): nothing to move.
    let mut vowels = 0;
    let mut marked: Option<char> = None;
    let mut settled = false;
    let mut previous: Option<(char, bool)> = None; // the letter before and whether it was marked
    for c in word.chars() {
        let (base, tone, _) = split_letter(c)?;
        let vowel = is_vowel_letter(base);
        if let Some((m, true)) = previous {
            settled = !vowel || (has_hat_or_horn(m) && !(m == 'ư' && base == 'ơ'));
        }
        vowels += usize::from(vowel);
        if tone.is_some() {
            marked = Some(base);
        }
        previous = Some((base, tone.is_some()));
    }
    if let Some((m, true)) = previous {
        settled = has_hat_or_horn(m);
    }
    if vowels < 2 || marked.is_none() || settled {
        return None;
    }
    let syllable = parse_word(word)?;
    let (letters, at) = syllable.spell();
    if word.chars().count() != letters.len() {
        return None;
    }
    // The wanted letter at each place, and whether it was uppercase.
    let mut wanted = [('a', false); 8];
    let mut changed = false;
    for (i, (w, &base)) in word.chars().zip(letters.iter()).enumerate() {
        let (w_base, w_tone, upper) = split_letter(w)?;
        if w_base != base {
            return None;
        }
        let want = if i == at {
            with_tone(base, syllable.tone)
        } else {
            base
        };
        let lower = w_tone.map_or(w_base, |t| with_tone(w_base, t));
        changed |= want != lower;
        wanted[i] = (want, upper);
    }
    if !changed {
        return None;
    }
    let mut out = String::with_capacity(word.len() + 2);
    for &(want, upper) in &wanted[..letters.len()] {
        if upper {
            out.extend(want.to_uppercase());
        } else {
            out.push(want);
        }
    }
    Some(out)
}

impl FromStr for Syllable {
    type Err = SyllableError;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        parse_word(word).ok_or_else(|| SyllableError::NotASyllable(word.to_string()))
    }
}

/// [`Syllable`]'s `from_str` without the error value (which costs an allocation).
fn parse_word(word: &str) -> Option<Syllable> {
    // The longest syllables ("nghiêng", "khuỷu") have 7 letters; allow for combining marks.
    if word.is_empty() || word.len() > 32 {
        return None;
    }
    if word.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)) {
        let composed: String = word.nfc().collect();
        parse_letters(&composed)
    } else {
        parse_letters(word)
    }
}

/// Parses NFC letters: strips the tone, looks the toneless spelling up in the table.
fn parse_letters(word: &str) -> Option<Syllable> {
    let mut key = [0u8; 48];
    let mut len = 0;
    let mut tone = None;
    for c in word.chars() {
        let (letter, mark, _) = split_letter(c)?;
        if let Some(mark) = mark {
            if tone.replace(mark).is_some() {
                return None;
            }
        }
        let n = letter.len_utf8();
        if len + n > key.len() {
            return None;
        }
        letter.encode_utf8(&mut key[len..len + n]);
        len += n;
    }
    let key = std::str::from_utf8(&key[..len]).ok()?;
    let tone = tone.unwrap_or(Tone::Ngang);
    let &(onset, medial, nucleus, coda) = table().get(key)?;
    tone.fits(coda).then_some(Syllable {
        onset,
        medial,
        nucleus,
        coda,
        tone,
    })
}

impl fmt::Display for Syllable {
    /// Standard modern spelling, lowercase, with the tone mark on the main vowel (hòa, thủy,
    /// quốc, người).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (letters, at) = self.spell();
        for (i, &c) in letters.iter().enumerate() {
            let c = if i == at { with_tone(c, self.tone) } else { c };
            f.write_char(c)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_letters_split_and_join() {
        for row in &VOWELS {
            for (i, &c) in row.iter().enumerate() {
                let (base, tone) = split_tone(c).expect("a vowel");
                assert_eq!(base, row[0]);
                assert_eq!(tone.unwrap_or(Tone::Ngang), Tone::ALL[i]);
                assert_eq!(with_tone(base, Tone::ALL[i]), c);
            }
        }
        assert_eq!(split_tone('đ'), Some(('đ', None)));
        assert_eq!(split_tone('f'), None);
        assert_eq!(split_tone('É'), None);
        assert_eq!(split_letter('Ễ'), Some(('ê', Some(Tone::Nga), true)));
        assert_eq!(split_letter('ễ'), Some(('ê', Some(Tone::Nga), false)));
        assert_eq!(split_letter('Ð'), Some(('đ', None, true)));
        assert_eq!(split_letter('Q'), Some(('q', None, true)));
        assert_eq!(split_letter('ñ'), None);
        assert_eq!(split_letter('\u{212A}'), None); // the Kelvin sign is not a K
    }

    #[test]
    fn letter_table_holds_every_letter_and_nothing_else() {
        let letters: Vec<_> = non_ascii_letters().collect();
        for &(letter, base, tone, upper) in &letters {
            let code = letter as usize;
            assert!(
                (0x80..LATIN_END).contains(&code)
                    || (VIETNAMESE_START..VIETNAMESE_END).contains(&code),
                "{letter} is outside the indexed blocks"
            );
            assert_eq!(split_letter(letter), Some((base, tone, upper)), "{letter}");
        }
        let known = |c: char| letters.iter().any(|&(l, ..)| l == c);
        for c in ('\u{80}'..='\u{2FFF}').filter(|&c| !known(c)) {
            assert_eq!(split_letter(c), None, "{c}");
        }
    }

    #[test]
    fn tone_marks_move_to_their_canonical_place() {
        let moved = |w: &str| with_canonical_tone_mark(w);
        assert_eq!(moved("hoà").as_deref(), Some("hòa"));
        assert_eq!(moved("HOÀ").as_deref(), Some("HÒA"));
        assert_eq!(moved("Thuỷ").as_deref(), Some("Thủy"));
        assert_eq!(moved("uỷ").as_deref(), Some("ủy"));
        assert_eq!(moved("khoẻ").as_deref(), Some("khỏe"));
        assert_eq!(moved("tíêng").as_deref(), Some("tiếng"));
        assert_eq!(moved("tiếng"), None);
        assert_eq!(moved("hòa"), None);
        assert_eq!(moved("lí"), None);
        assert_eq!(moved("quí"), None);
        assert_eq!(moved("hoàn"), None);
        assert_eq!(moved("hòan").as_deref(), Some("hoàn"));
        assert_eq!(moved("mưá").as_deref(), Some("mứa"));
        assert_eq!(moved("covid"), None);
    }

    #[test]
    fn every_misplaced_mark_moves_to_the_canonical_place() {
        for s in Syllable::all().filter(|s| s.tone != Tone::Ngang) {
            let canonical = s.to_string();
            let (letters, _) = s.spell();
            for (i, &c) in letters.iter().enumerate() {
                if !"aăâeêioôơuưy".contains(c) {
                    continue;
                }
                let moved: String = letters
                    .iter()
                    .enumerate()
                    .map(|(j, &l)| if j == i { with_tone(l, s.tone) } else { l })
                    .collect();
                let expected = (moved != canonical).then(|| canonical.clone());
                assert_eq!(with_canonical_tone_mark(&moved), expected, "{moved}");
            }
        }
    }

    #[test]
    fn two_tone_marks_are_rejected() {
        assert!("hóà".parse::<Syllable>().is_err());
        assert!("mạ̀".parse::<Syllable>().is_err());
    }

    #[test]
    fn gi_spellings_do_not_collide() {
        let gi = |nucleus, coda| Syllable {
            onset: Onset::Gi,
            medial: false,
            nucleus,
            coda,
            tone: Tone::Ngang,
        };
        assert_eq!(gi(Nucleus::I, Coda::None).to_string(), "gi");
        assert_eq!(gi(Nucleus::A, Coda::None).to_string(), "gia");
        assert_eq!(gi(Nucleus::Ie, Coda::Ng).to_string(), "giêng");
        assert!(!gi(Nucleus::Ie, Coda::None).is_valid());
    }
}
