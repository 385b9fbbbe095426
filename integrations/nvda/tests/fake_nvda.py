"""A minimal stand-in for the parts of NVDA a synthesizer driver uses, installed into
sys.modules so that synthDrivers/loa.py imports it as it would import NVDA (which runs only
on Windows). Only the interface is faked; the player plays in real time on its own thread and
calls onDone when a piece has been played, as NVDA's WASAPI player does.

Modules: config, logHandler, extensionPoints, speech.commands, synthDriverHandler, nvwave.
"""

import sys
import threading
import time
import types


def _module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


# --- logHandler -----------------------------------------------------------------------------


class Log:
    """Records every message as (level, text)."""

    def __init__(self):
        self.records = []
        self.lock = threading.Lock()

    def _add(self, level, msg, exc_info=False):
        with self.lock:
            self.records.append((level, str(msg)))

    def error(self, msg, exc_info=False):
        self._add("error", msg)

    def warning(self, msg, exc_info=False):
        self._add("warning", msg)

    def debugWarning(self, msg, exc_info=False):
        self._add("debugWarning", msg)

    def info(self, msg, exc_info=False):
        self._add("info", msg)

    def debug(self, msg, exc_info=False):
        self._add("debug", msg)

    def exception(self, msg="", exc_info=True):
        self._add("exception", msg)

    def at(self, level):
        with self.lock:
            return [text for lv, text in self.records if lv == level]


log = Log()


# --- extensionPoints ------------------------------------------------------------------------


class Action:
    def __init__(self):
        self.handlers = []

    def register(self, handler):
        self.handlers.append(handler)

    def unregister(self, handler):
        self.handlers.remove(handler)

    def notify(self, **kwargs):
        for handler in list(self.handlers):
            handler(**kwargs)


# --- speech.commands ------------------------------------------------------------------------


class IndexCommand:
    def __init__(self, index):
        self.index = index


class BreakCommand:
    def __init__(self, time=0):
        self.time = time


class _Prosody:
    def __init__(self, offset=0, multiplier=1):
        self.offset = offset
        self.multiplier = multiplier


class PitchCommand(_Prosody):
    pass


class RateCommand(_Prosody):
    pass


class VolumeCommand(_Prosody):
    pass


class CharacterModeCommand:
    def __init__(self, state):
        self.state = state


# --- synthDriverHandler ---------------------------------------------------------------------


class _AutoProperties(type):
    """Like NVDA's AutoPropertyObject: _get_x/_set_x methods make a property x."""

    def __new__(mcs, name, bases, ns):
        cls = super().__new__(mcs, name, bases, ns)
        names = {k[5:] for k in dir(cls) if k.startswith(("_get_", "_set_"))}
        for prop in names:
            getter = getattr(cls, "_get_" + prop, None)
            setter = getattr(cls, "_set_" + prop, None)
            setattr(cls, prop, property(getter, setter))
        return cls


class DriverSetting:
    def __init__(self, id):
        self.id = id


class VoiceInfo:
    def __init__(self, id, displayName, language=None):
        self.id, self.displayName, self.language = id, displayName, language


class SynthDriver(metaclass=_AutoProperties):
    name = ""
    description = ""
    supportedSettings = ()
    supportedCommands = frozenset()
    supportedNotifications = frozenset()

    @classmethod
    def VoiceSetting(cls):
        return DriverSetting("voice")

    @classmethod
    def RateSetting(cls):
        return DriverSetting("rate")

    @classmethod
    def PitchSetting(cls):
        return DriverSetting("pitch")

    @classmethod
    def VolumeSetting(cls):
        return DriverSetting("volume")

    def _get_availableVoices(self):
        return self._getAvailableVoices()


# --- nvwave ---------------------------------------------------------------------------------


class WavePlayer:
    """Plays fed audio in real time (16-bit mono), on its own thread. feed() blocks while more
    than BUFFER_MS is waiting, like a sound card's buffer; onDone runs on the player thread
    when a piece has been played. Everything fed and played is recorded for the tests."""

    BUFFER_MS = 200
    TICK = 0.005
    instances = []

    def __init__(self, channels, samplesPerSec, bitsPerSample, outputDevice=None, **kwargs):
        assert (channels, bitsPerSample) == (1, 16), "the fake plays 16-bit mono"
        self.channels, self.samplesPerSec, self.bitsPerSample = channels, samplesPerSec, bitsPerSample
        self.outputDevice = outputDevice
        self.bytes_per_sec = samplesPerSec * 2
        self.cond = threading.Condition()
        self.queue = []  # [bytearray-view offset, bytes, onDone]
        self.paused = False
        self.closed = False
        self.fed = []  # (time, bytes) per feed call
        self.audio = bytearray()  # everything fed
        self.played = 0  # bytes played
        self.played_audio = bytearray()
        self.stops = []  # times stop() was called
        self.thread = threading.Thread(target=self._play, daemon=True)
        self.thread.start()
        WavePlayer.instances.append(self)

    def _queued(self):
        return sum(len(data) - off for off, data, _ in self.queue)

    def feed(self, data, size=None, onDone=None):
        data = bytes(data if size is None else data[:size])
        with self.cond:
            limit = self.BUFFER_MS * self.bytes_per_sec // 1000
            while self._queued() > limit and not self.closed:
                self.cond.wait(0.05)
            self.fed.append((time.monotonic(), data))
            self.audio += data
            self.queue.append([0, data, onDone])
            self.cond.notify_all()

    def _play(self):
        last = time.monotonic()
        budget = 0.0
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            done = []
            with self.cond:
                if self.closed:
                    return
                if self.paused or not self.queue:
                    budget = 0.0
                else:
                    budget += (now - last) * self.bytes_per_sec
                    while self.queue and budget >= 1:
                        item = self.queue[0]
                        off, data, onDone = item
                        avail = int(budget) & ~1
                        if avail == 0:
                            break
                        n = min(len(data) - off, avail)
                        self.played_audio += data[off : off + n]
                        self.played += n
                        budget -= n
                        item[0] += n
                        if item[0] >= len(data):
                            self.queue.pop(0)
                            if onDone:
                                # Called before anything after this piece is played.
                                done.append(onDone)
                                break
                    self.cond.notify_all()
                last = now
            for callback in done:
                callback()

    def stop(self):
        with self.cond:
            self.queue = []
            self.paused = False
            self.stops.append(time.monotonic())
            self.cond.notify_all()

    def pause(self, switch):
        with self.cond:
            self.paused = switch

    def sync(self):
        with self.cond:
            while self.queue and not self.closed:
                self.cond.wait(0.05)

    def idle(self):
        self.sync()

    def close(self):
        with self.cond:
            self.closed = True
            self.queue = []
            self.cond.notify_all()


# --- config ---------------------------------------------------------------------------------


class Conf(dict):
    def __init__(self):
        super().__init__(audio={"outputDevice": "default"}, speech={"outputDevice": "default"})
        self.spec = {}


def install():
    """Puts the fake modules into sys.modules (idempotent) and returns them by name."""
    if "synthDriverHandler" in sys.modules and getattr(sys.modules["synthDriverHandler"], "FAKE", False):
        return {name: sys.modules[name] for name in _NAMES}
    ext = _module("extensionPoints", Action=Action)
    _module("config", conf=Conf())
    _module("logHandler", log=log)
    speech = _module("speech")
    commands = _module(
        "speech.commands",
        IndexCommand=IndexCommand,
        BreakCommand=BreakCommand,
        PitchCommand=PitchCommand,
        RateCommand=RateCommand,
        VolumeCommand=VolumeCommand,
        CharacterModeCommand=CharacterModeCommand,
    )
    speech.commands = commands
    _module(
        "synthDriverHandler",
        FAKE=True,
        SynthDriver=SynthDriver,
        VoiceInfo=VoiceInfo,
        synthIndexReached=ext.Action(),
        synthDoneSpeaking=ext.Action(),
    )
    _module("nvwave", WavePlayer=WavePlayer)
    return {name: sys.modules[name] for name in _NAMES}


_NAMES = ("config", "logHandler", "extensionPoints", "speech", "speech.commands", "synthDriverHandler", "nvwave")
