# Loa — Vietnamese text-to-speech — as an NVDA synthesizer driver.
#
# NVDA sends speech sequences (text, index marks, breaks, prosody changes); this driver sends
# the text to a Loa server over HTTP (Python's standard library only: NVDA bundles its own
# Python and has no pip), plays the streamed 16 kHz PCM through nvwave.WavePlayer as it
# arrives, and reports each index mark when the audio before it has been played, using the
# word timings of POST /v1/speech/marks. All HTTP work runs on one background thread, so
# NVDA's main thread never waits on the network.
#
# The server is http://127.0.0.1:8080 unless the environment variable LOA_URL or the [loa]
# section of nvda.ini (url = http://host:port) says otherwise.

import http.client
import json
import os
import queue
import threading
import urllib.parse
from collections import OrderedDict

import config
import nvwave
from logHandler import log
from speech.commands import (
    BreakCommand,
    IndexCommand,
    PitchCommand,
    RateCommand,
    VolumeCommand,
)
from synthDriverHandler import SynthDriver as BaseSynthDriver
from synthDriverHandler import VoiceInfo, synthDoneSpeaking, synthIndexReached

DEFAULT_URL = "http://127.0.0.1:8080"
SAMPLE_RATE = 16000
BYTES_PER_MS = SAMPLE_RATE * 2 // 1000
# Audio is handed to the player in pieces of at most 50 ms, so that after cancel() at most
# one piece can still reach the player before the worker notices and stops it again.
FEED_BYTES = 50 * BYTES_PER_MS
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 15.0

try:
    config.conf.spec["loa"] = {"url": 'string(default="%s")' % DEFAULT_URL}
except Exception:  # an NVDA without a writable spec: the default and LOA_URL still work
    pass


# --- NVDA's 0–100 settings → Loa's request parameters -------------------------------------


def rate_to_loa(rate):
    """NVDA rate 0..100 → Loa rate: 0 → 0.5×, 25 → 0.71×, 50 → 1×, 75 → 2×, 100 → 4×."""
    rate = min(max(rate, 0), 100)
    if rate <= 50:
        return round(0.5 * 2 ** (rate / 50), 3)
    return round(4 ** ((rate - 50) / 50), 3)


def pitch_to_loa(pitch):
    """NVDA pitch 0..100 → Loa semitones: 0 → −12, 50 → 0, 100 → +12."""
    return round((min(max(pitch, 0), 100) - 50) * 0.24, 2)


def volume_to_loa(volume):
    """NVDA volume 0..100 → Loa volume 0..1 (100 is Loa's unity gain)."""
    return round(min(max(volume, 0), 100) / 100, 3)


def server_url():
    url = os.environ.get("LOA_URL")
    if not url:
        try:
            url = config.conf["loa"]["url"]
        except Exception:
            url = None
    return (url or DEFAULT_URL).rstrip("/")


# --- speech sequences → segments ----------------------------------------------------------


class Segment:
    """Text spoken with one set of prosody, the index marks inside it (UTF-8 byte offsets,
    as the marks endpoint counts them), and the silence that follows it (a BreakCommand)."""

    def __init__(self, rate, pitch, volume):
        self.parts = []
        self.size = 0
        self.indexes = []  # (byte offset, index)
        self.rate, self.pitch, self.volume = rate, pitch, volume
        self.pause_ms = 0

    @property
    def text(self):
        return "".join(self.parts)

    def add_text(self, text):
        self.parts.append(text)
        self.size += len(text.encode("utf-8"))


def segments(sequence, rate, pitch, volume):
    """Splits an NVDA speech sequence where a break or a prosody change falls. `rate`,
    `pitch`, `volume` are the driver's 0..100 settings; prosody commands scale them."""
    base = {"rate": rate, "pitch": pitch, "volume": volume}
    current = dict(base)
    seg = Segment(**current)
    out = [seg]

    def new_segment():
        nonlocal seg
        if seg.parts or seg.indexes or seg.pause_ms:
            seg = Segment(**current)
            out.append(seg)
        else:
            seg.rate, seg.pitch, seg.volume = current["rate"], current["pitch"], current["volume"]

    for item in sequence:
        if isinstance(item, str):
            if item:
                seg.add_text(item)
        elif isinstance(item, IndexCommand):
            seg.indexes.append((seg.size, item.index))
        elif isinstance(item, BreakCommand):
            seg.pause_ms += max(int(item.time), 0)
            new_segment()
        elif isinstance(item, (PitchCommand, RateCommand, VolumeCommand)):
            name = {PitchCommand: "pitch", RateCommand: "rate", VolumeCommand: "volume"}[type(item)]
            value = base[name] * getattr(item, "multiplier", 1) + getattr(item, "offset", 0)
            value = min(max(value, 0), 100)
            if value != current[name]:
                current[name] = value
                new_segment()
        else:
            log.debugWarning("loa: unsupported speech item %r ignored" % (item,))
    return [s for s in out if s.parts or s.indexes or s.pause_ms]


def word_offsets(marks):
    """(byte start, audio byte offset) of each word mark, in order."""
    words = []
    for mark in marks:
        if mark.get("type") == "word":
            words.append((int(mark["start"]), int(mark["time"]) * BYTES_PER_MS))
    return words


def index_positions(seg, marks, audio_end=None):
    """Audio byte offset (from the segment's start) at which each index is reached: the time of
    the first word that starts at or after the index's text offset; the end of the segment's
    audio (None) when no word follows it."""
    words = word_offsets(marks)
    out = []
    for offset, index in seg.indexes:
        at = None
        if offset == 0:
            at = 0
        else:
            for start, audio in words:
                if start >= offset:
                    at = audio
                    break
        if at is None:
            at = audio_end
        out.append((at, index))
    return out


# --- feeding the player with index callbacks ----------------------------------------------


class _Feeder:
    """Hands audio to the player and attaches each index mark to the piece that ends where the
    mark is, so NVDA hears of it when the audio before it has played. The last sample is held
    back, so a mark that falls where audio already ends still has a piece to ride on."""

    def __init__(self, player, notify, alive):
        self.player = player
        self.notify = notify  # index → None
        self.alive = alive  # () → bool: False once cancelled
        self.pos = 0  # bytes of audio taken so far (fed + held back)
        self.tail = b""
        self.marks = []  # pending (absolute byte position, index), in order
        self.last = None  # the latest batch of marks riding on a piece, until it is played
        self.lock = threading.Lock()  # onDone runs on the player's thread

    def mark(self, pos, index):
        if pos <= self.pos:
            # Reached where the audio now ends; any mark still pending before it in the
            # sequence was placed past the audio that came, so it is reached too.
            due = [i for _, i in self.marks] + [index]
            self.marks = []
            self._flush(due)
        else:
            self.marks.append((pos, index))

    def write(self, data):
        while data and self.alive():
            if self.marks and self.marks[0][0] <= self.pos + len(data):
                cut = self.marks[0][0] - self.pos
                self._take(data[:cut])
                data = data[cut:]
                due = []
                while self.marks and self.marks[0][0] <= self.pos:
                    due.append(self.marks.pop(0)[1])
                self._flush(due)
            else:
                self._take(data)
                data = b""

    def finish(self):
        """Reports every mark still pending at the end of the audio."""
        self._flush([index for _, index in self.marks])
        self.marks = []

    def _take(self, data):
        buf = self.tail + data
        self.pos += len(data)
        keep = 2 if len(buf) >= 2 else len(buf)
        body, self.tail = buf[: len(buf) - keep], buf[len(buf) - keep :]
        for start in range(0, len(body), FEED_BYTES):
            if not self.alive():
                return
            self.player.feed(body[start : start + FEED_BYTES])
            if not self.alive():  # cancelled while feed() blocked: silence what slipped in
                self.player.stop()
                return

    def _flush(self, indexes):
        if not indexes or not self.alive():
            return
        with self.lock:
            if not self.tail:
                last = self.last
                if last is not None and not last["fired"]:
                    # No audio since the previous batch: these are reached with it.
                    last["indexes"].extend(indexes)
                    return
                batch = None
            else:
                batch = self.last = {"indexes": list(indexes), "fired": False}
        if batch is None:
            # Nothing unplayed before them: they are reached now.
            for index in indexes:
                self.notify(index)
            return
        tail, self.tail = self.tail, b""

        def done():
            with self.lock:
                batch["fired"] = True
                due = list(batch["indexes"])
            if self.alive():
                for index in due:
                    self.notify(index)

        self.player.feed(tail, onDone=done)


# --- the driver ---------------------------------------------------------------------------


class SynthDriver(BaseSynthDriver):
    name = "loa"
    # Translators: the synthesizer's name in NVDA's synthesizer list.
    description = "Loa (Vietnamese)"
    supportedSettings = (
        BaseSynthDriver.VoiceSetting(),
        BaseSynthDriver.RateSetting(),
        BaseSynthDriver.PitchSetting(),
        BaseSynthDriver.VolumeSetting(),
    )
    supportedCommands = {IndexCommand, BreakCommand, PitchCommand, RateCommand, VolumeCommand}
    supportedNotifications = {synthIndexReached, synthDoneSpeaking}

    @classmethod
    def check(cls):
        # Whether the server answers is decided in __init__, which NVDA calls when the
        # synthesizer is chosen; raising there makes NVDA fall back to another synthesizer.
        return True

    def __init__(self):
        super().__init__()
        self._url = server_url()
        self._rate, self._pitch, self._volume = 50, 50, 100
        self._voices = self._fetch_voices()  # raises when the server cannot be reached
        self._voice = next(iter(self._voices))
        self._generation = 0
        self._lock = threading.Lock()
        self._conn = None  # the connection being read, closed by cancel()
        self._queue = queue.Queue()
        device = _output_device()
        self._player = nvwave.WavePlayer(
            channels=1,
            samplesPerSec=SAMPLE_RATE,
            bitsPerSample=16,
            **({} if device is None else {"outputDevice": device}),
        )
        self._worker = threading.Thread(target=self._run, name="loa.SynthDriver", daemon=True)
        self._worker.start()

    # Settings: NVDA's 0..100 scales, mapped per request (see rate_to_loa & co).
    def _get_rate(self):
        return self._rate

    def _set_rate(self, value):
        self._rate = min(max(int(value), 0), 100)

    def _get_pitch(self):
        return self._pitch

    def _set_pitch(self, value):
        self._pitch = min(max(int(value), 0), 100)

    def _get_volume(self):
        return self._volume

    def _set_volume(self, value):
        self._volume = min(max(int(value), 0), 100)

    def _get_voice(self):
        return self._voice

    def _set_voice(self, value):
        if value in self._voices:
            self._voice = value
        else:
            log.warning("loa: voice %r is not installed on %s" % (value, self._url))

    def _getAvailableVoices(self):
        return self._voices

    def _fetch_voices(self):
        try:
            status, body = self._request("GET", "/v1/voices", None)
            if status != 200:
                raise RuntimeError("HTTP %d: %s" % (status, body[:200]))
            listing = json.loads(body.decode("utf-8"))
            voices = OrderedDict()
            default = listing.get("default")
            for v in sorted(listing["voices"], key=lambda v: v["id"] != default):
                voices[v["id"]] = VoiceInfo(v["id"], v.get("name", v["id"]), v.get("language", "vi"))
            if not voices:
                raise RuntimeError("the server has no voices")
            return voices
        except Exception as e:
            log.error("loa: cannot use the Loa server at %s: %s" % (self._url, e))
            raise RuntimeError("Loa server at %s unavailable: %s" % (self._url, e)) from e

    # Speech.
    def speak(self, speechSequence):
        segs = segments(speechSequence, self._rate, self._pitch, self._volume)
        self._queue.put((self._generation, self._voice, segs))

    def cancel(self):
        with self._lock:
            self._generation += 1
            conn, self._conn = self._conn, None
        _drain(self._queue)
        if conn is not None:
            _abort(conn)
        self._player.stop()

    def pause(self, switch):
        self._player.pause(switch)

    def terminate(self):
        self.cancel()
        self._queue.put(None)
        self._worker.join(2)
        try:
            self._player.close()
        except Exception:
            log.debugWarning("loa: closing the player", exc_info=True)

    # The worker thread.
    def _run(self):
        while True:
            job = self._queue.get()
            if job is None:
                return
            generation, voice, segs = job
            try:
                self._speak(generation, voice, segs)
            except Exception:
                log.error("loa: speaking failed", exc_info=True)

    def _alive(self, generation):
        return generation == self._generation

    def _speak(self, generation, voice, segs):
        alive = lambda: self._alive(generation)  # noqa: E731
        notify = lambda index: synthIndexReached.notify(synth=self, index=index)  # noqa: E731
        feeder = _Feeder(self._player, notify, alive)
        for seg in segs:
            if not alive():
                return
            start = feeder.pos
            text = seg.text
            if text.strip():
                body = json.dumps(
                    {
                        "text": text,
                        "voice": voice,
                        "rate": rate_to_loa(seg.rate),
                        "pitch": pitch_to_loa(seg.pitch),
                        "volume": volume_to_loa(seg.volume),
                        "format": "pcm",
                        # Plain text, even when it starts with "<speak" (code, HTML source).
                        "ssml": False,
                    }
                ).encode("utf-8")
                inner = [(o, i) for o, i in seg.indexes if 0 < o < seg.size]
                positions = index_positions(seg, self._marks(body, generation) if inner else [])
                for at, index in positions:
                    if at is not None:
                        feeder.mark(start + at, index)
                self._stream(body, generation, feeder)
                feeder.finish()  # marks placed past the audio that came
                # Marks after the last word (or when the marks could not be had): the end.
                for at, index in positions:
                    if at is None:
                        feeder.mark(feeder.pos, index)
            else:
                for _, index in seg.indexes:
                    feeder.mark(feeder.pos, index)
            if seg.pause_ms:
                feeder.write(bytes(seg.pause_ms * BYTES_PER_MS))
        if not alive():
            return
        feeder.finish()
        if feeder.tail:
            self._player.feed(feeder.tail)
            feeder.tail = b""
        self._player.idle()
        if alive():
            synthDoneSpeaking.notify(synth=self)

    def _marks(self, body, generation):
        try:
            status, data = self._request("POST", "/v1/speech/marks", body, generation)
            if status == 200:
                return json.loads(data.decode("utf-8"))
            log.error("loa: marks: HTTP %d: %s" % (status, data[:300]))
        except Exception as e:
            if self._alive(generation):
                log.error("loa: marks from %s failed: %s" % (self._url, e))
        return []

    def _stream(self, body, generation, feeder):
        conn = None
        try:
            conn = self._connect()
            with self._lock:
                if not self._alive(generation):
                    return
                self._conn = conn
            conn.request("POST", "/v1/speech", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            if resp.status != 200:
                log.error("loa: speech: HTTP %d: %s" % (resp.status, resp.read()[:300]))
                return
            odd = b""
            while self._alive(generation):
                chunk = resp.read1(8192)
                if not chunk:
                    break
                chunk = odd + chunk
                cut = len(chunk) & ~1
                odd = chunk[cut:]
                feeder.write(chunk[:cut])
        except Exception as e:
            if self._alive(generation):
                log.error("loa: speech from %s failed: %s" % (self._url, e))
        finally:
            with self._lock:
                if self._conn is conn:
                    self._conn = None
            if conn is not None:
                conn.close()

    def _connect(self):
        parts = urllib.parse.urlsplit(self._url)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.hostname, parts.port, timeout=CONNECT_TIMEOUT)
        conn.connect()
        conn.sock.settimeout(READ_TIMEOUT)
        return conn

    def _request(self, method, path, body, generation=None):
        conn = self._connect()
        if generation is not None:
            with self._lock:
                if not self._alive(generation):
                    conn.close()
                    raise RuntimeError("cancelled")
                self._conn = conn
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            conn.request(method, path, body, headers)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            if generation is not None:
                with self._lock:
                    if self._conn is conn:
                        self._conn = None
            conn.close()


def _output_device():
    for section in ("audio", "speech"):  # NVDA 2024.2 moved it from [speech] to [audio]
        try:
            return config.conf[section]["outputDevice"]
        except Exception:
            continue
    return None


def _drain(q):
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return


def _abort(conn):
    """Unblocks a read in progress on another thread: the server sees the client leave and
    stops synthesizing at its next phrase."""
    import socket

    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
