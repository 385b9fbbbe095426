//! Unit selection: a syllable → the units of the voice that speak it.
//!
//! Input: a [`Syllable`], the place of the next syllable's onset in the phrase, and a
//! [`Voice`]. Output: its initial and final [`Unit`]s and the final's tail for that place if
//! the voice has one, or a [`SynthError::MissingUnit`] naming the syllable and the unit the
//! voice lacks (a missing tail is not an error: the plain final is spoken).

use crate::text::Syllable;
use crate::voice::{Place, Unit, UnitKey, Voice};

use super::SynthError;

/// The initial and final unit of one syllable.
#[derive(Debug, Clone, Copy)]
pub struct SyllableUnits<'v> {
    pub initial: &'v Unit,
    pub last: &'v Unit,
    /// The end of `last` anticipating the next onset, to splice on.
    pub tail: Option<&'v Unit>,
}

/// Looks up the units of `syllable`, followed in its phrase by an onset at `next`.
///
/// # Errors
/// [`SynthError::MissingUnit`] for the first of the two units the voice does not have.
pub fn lookup<'v>(
    voice: &'v Voice,
    syllable: &Syllable,
    next: Option<Place>,
) -> Result<SyllableUnits<'v>, SynthError> {
    let [i, f] = UnitKey::for_syllable(syllable);
    let get = |key: UnitKey| {
        voice.unit(&key).ok_or(SynthError::MissingUnit {
            voice: voice.info.id.clone(),
            syllable: *syllable,
            key,
        })
    };
    let tail = next.and_then(|next| {
        voice.unit(&UnitKey::Tail {
            nucleus: syllable.nucleus,
            coda: syllable.coda,
            tone: syllable.tone,
            next,
        })
    });
    Ok(SyllableUnits {
        initial: get(i)?,
        last: get(f)?,
        tail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Coda, Nucleus, Onset, Tone};
    use crate::voice::{Inventory, VoiceInfo};

    #[test]
    fn finds_both_units_or_names_the_missing_one() {
        let syl = Syllable {
            onset: Onset::M,
            medial: false,
            nucleus: Nucleus::A,
            coda: Coda::N,
            tone: Tone::Sac,
        };
        let [ik, fk] = UnitKey::for_syllable(&syl);
        let unit = |key| Unit {
            key,
            samples: vec![0; 10],
            pitch_marks: vec![],
            boundary: 5,
        };
        let info = VoiceInfo {
            id: "t".into(),
            name: "t".into(),
            language: "vi".into(),
            dialect: "north".into(),
            sample_rate: 16_000,
        };
        let only_initial = Voice::new(
            info.clone(),
            120.0,
            Inventory {
                sample_rate: 16_000,
                units: vec![unit(ik)],
            },
        );
        let err = lookup(&only_initial, &syl, None).unwrap_err();
        assert_eq!(
            err,
            SynthError::MissingUnit {
                voice: "t".into(),
                syllable: syl,
                key: fk
            }
        );
        assert!(err.to_string().contains("voice `t`"));
        let both = Voice::new(
            info,
            120.0,
            Inventory {
                sample_rate: 16_000,
                units: vec![unit(ik), unit(fk)],
            },
        );
        let u = lookup(&both, &syl, Some(Place::Labial)).unwrap();
        assert_eq!((u.initial.key, u.last.key), (ik, fk));
        assert!(
            u.tail.is_none(),
            "a voice without tails speaks the plain final"
        );
    }
}
