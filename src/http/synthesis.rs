//! The bridge between the synchronous pipeline and the async service: a synthesis runs on a
//! blocking thread and hands phrases over a *bounded* channel.
//!
//! The channel is the back-pressure: a synthesis never runs more than a few phrases ahead of
//! its client. A failed send means the client left (its receiver was dropped), so synthesis
//! stops at the next phrase; a client that stops reading for longer than the request timeout
//! is treated the same way, so it cannot hold a slot forever.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, OwnedSemaphorePermit};

use super::state::AppState;
use crate::synth::{self, Params, PhraseAudio};
use crate::text::script::Script;
use crate::text::Document;
use crate::voice::Voice;

/// What the synthesis thread sends: a phrase, or the news that it failed (the body must then
/// end with an error rather than look complete).
pub type Message = Result<PhraseAudio, Failed>;

/// The synthesis stopped abnormally (a bug in the pipeline); details are in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failed;

/// One synthesis to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The text, plain or SSML, with the lexicons in force.
    pub script: Arc<Script>,
    pub voice: Arc<Voice>,
    pub params: Params,
}

/// The audio of `script`, phrase by phrase, each sentence analyzed and synthesized only when
/// it is reached: the first phrase of a long article does not wait for the whole text's front
/// end. The engine renders sentences independently, so this is the same audio as
/// `synth::stream(voice, script.analyze(), params)`.
pub fn phrases(
    script: Arc<Script>,
    voice: Arc<Voice>,
    params: Params,
) -> impl Iterator<Item = PhraseAudio> {
    script.sentences().flat_map(move |sentence| {
        let doc = Document {
            sentences: vec![sentence],
        };
        synth::stream(voice.clone(), doc, params)
    })
}

/// Starts `job` on a blocking thread holding `slot` until it ends; phrases arrive on the
/// returned receiver. Dropping the receiver stops the synthesis within one phrase.
pub fn start(state: &AppState, job: Job, slot: OwnedSemaphorePermit) -> mpsc::Receiver<Message> {
    let (tx, rx) = mpsc::channel(state.settings().phrase_buffer.max(1));
    let state = state.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let _active = state.metrics().stream_started();
        let stall = state.settings().request_timeout;
        let sample_rate = job.voice.info.sample_rate.max(1);
        let mut work = Duration::ZERO;
        let mut samples = 0usize;
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let mut phrases = phrases(job.script.clone(), job.voice.clone(), job.params);
            loop {
                let started = Instant::now();
                let Some(phrase) = phrases.next() else { break };
                work += started.elapsed();
                samples += phrase.samples.len();
                let sent = handle.block_on(tokio::time::timeout(stall, tx.send(Ok(phrase))));
                if !matches!(sent, Ok(Ok(()))) {
                    tracing::debug!("client gone or stalled; synthesis stopped");
                    break;
                }
            }
        }));
        if outcome.is_err() {
            tracing::error!("synthesis panicked; the response is cut");
            let _ = handle.block_on(tokio::time::timeout(stall, tx.send(Err(Failed))));
        }
        let audio = Duration::from_secs_f64(samples as f64 / f64::from(sample_rate));
        state.metrics().synthesized(audio, work);
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_by_sentence_is_the_same_audio_as_the_whole_document() {
        let voice = Arc::new(crate::voice::synthetic::voice());
        let text =
            "Xin chào các bạn. Hôm nay trời đẹp, chúng ta đi chơi nhé!\n\nTôi là Loa; tôi đọc báo.";
        let params = Params::new(1.3, 2.0, 0.8).unwrap();
        let script = Arc::new(Script::plain(text.to_string()));
        let lazy: Vec<PhraseAudio> = phrases(script, voice.clone(), params).collect();
        let whole: Vec<PhraseAudio> =
            synth::stream(voice, crate::text::analyze(text), params).collect();
        assert!(lazy.len() >= 4, "{} phrases", lazy.len());
        assert!(lazy.iter().any(|p| p.samples.iter().any(|&s| s != 0)));
        assert_eq!(lazy, whole);
    }
}
