//! What every handler shares: settings, the loaded voices, the synthesis slots, the download
//! cache, the metrics and the shutdown signals. Cheap to clone (one `Arc`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use super::cache::{AudioCache, Rendered};
use super::config::Settings;
use super::error::ApiError;
use super::metrics::Metrics;
use crate::text::lexicon::Lexicon;
use crate::voice::VoiceSet;

/// The shared state of the service.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    settings: Settings,
    voices: VoiceSet,
    lexicon: Option<Arc<Lexicon>>,
    slots: Arc<Semaphore>,
    cache: Mutex<AudioCache>,
    in_flight: Mutex<HashMap<u128, InFlight>>,
    metrics: Metrics,
    lifecycle: Lifecycle,
}

/// A download being rendered, shared by every request for it that arrives meanwhile.
pub type InFlight = Arc<OnceCell<Arc<Rendered>>>;

/// The two moments of a shutdown.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    /// Cancelled when shutdown begins: no new connections, `/readyz` says 503.
    pub draining: CancellationToken,
    /// Cancelled when the grace period ends: streams still running are cut.
    pub cut: CancellationToken,
}

impl AppState {
    /// State for a service with these settings, voices and server lexicon.
    pub fn new(settings: Settings, voices: VoiceSet, lexicon: Option<Lexicon>) -> Self {
        AppState(Arc::new(Inner {
            slots: Arc::new(Semaphore::new(settings.max_concurrent)),
            cache: Mutex::new(AudioCache::new(settings.cache_bytes)),
            in_flight: Mutex::new(HashMap::new()),
            metrics: Metrics::default(),
            lifecycle: Lifecycle::default(),
            settings,
            voices,
            lexicon: lexicon.filter(|l| !l.is_empty()).map(Arc::new),
        }))
    }

    /// The settings the service runs with.
    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// The loaded voices.
    pub fn voices(&self) -> &VoiceSet {
        &self.0.voices
    }

    /// The server-wide pronunciation lexicon, if one was loaded.
    pub fn lexicon(&self) -> Option<&Arc<Lexicon>> {
        self.0.lexicon.as_ref()
    }

    /// The metrics registry.
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// The shutdown signals.
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.0.lifecycle
    }

    /// A synthesis slot, or 503 when all are taken: requests are refused, never queued.
    ///
    /// # Errors
    /// [`ApiError::Busy`] when every slot is taken.
    pub fn try_slot(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        self.0
            .slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::Busy {
                retry_after: self.0.settings.retry_after_secs,
            })
    }

    /// Synthesis slots free now.
    pub fn slots_free(&self) -> usize {
        self.0.slots.available_permits()
    }

    /// The download cache, locked (for a lookup or an insert, never across an await).
    pub fn cache(&self) -> MutexGuard<'_, AudioCache> {
        // A panic while holding the lock cannot leave the cache inconsistent beyond a lost
        // entry, so a poisoned lock is taken over rather than propagated.
        self.0.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The rendering of download `key`: the one already under way, or a new one. Requests for
    /// the same article that arrive together wait for one synthesis instead of each running
    /// their own.
    pub fn in_flight(&self, key: u128) -> InFlight {
        let mut map = self.0.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key).or_default().clone()
    }

    /// Forgets rendering `key` once its attempt is over (done, failed or abandoned); requests
    /// still holding `cell` keep it.
    pub fn in_flight_over(&self, key: u128, cell: &InFlight) {
        let mut map = self.0.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if map.get(&key).is_some_and(|c| Arc::ptr_eq(c, cell)) {
            map.remove(&key);
        }
    }

    /// Bytes held by the download cache.
    pub fn cache_bytes(&self) -> usize {
        self.cache().bytes()
    }
}
