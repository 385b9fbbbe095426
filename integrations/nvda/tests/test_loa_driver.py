"""The NVDA driver (synthDrivers/loa.py) against a real Loa server, with NVDA's modules faked
(fake_nvda.py). Run from integrations/nvda: LOA_BIN=path/to/loa python3 -m unittest -v
(LOA_BIN defaults to the repository's target/debug/loa)."""

import array
import importlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ADDON = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(ADDON))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ADDON, "synthDrivers"))

import fake_nvda  # noqa: E402

nv = fake_nvda.install()
loa = importlib.import_module("loa")
commands = nv["speech.commands"]
handler = nv["synthDriverHandler"]

BYTES_PER_MS = 32
TEXT1 = "Xin chào các bạn. "
TEXT2 = "Hôm nay trời đẹp, chúng ta đi chơi."
# About 10 minutes of speech: far more than the sockets between server and driver can hold,
# so the server is still synthesizing when the driver cancels.
LONG = " ".join(["Hà Nội là thủ đô của Việt Nam, nằm bên bờ sông Hồng."] * 200)


class Server:
    """`loa serve` on a free port."""

    def __init__(self):
        binary = os.environ.get("LOA_BIN", os.path.join(REPO, "target", "debug", "loa"))
        if not os.path.exists(binary):
            raise unittest.SkipTest(f"no Loa binary at {binary} (cargo build, or set LOA_BIN)")
        self.log = tempfile.NamedTemporaryFile(prefix="loa-nvda-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [binary, "serve", "--addr", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            env=dict(os.environ, RUST_LOG="info"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(self.log.name, errors="replace") as f:
                m = re.search(r"listening addr=(\S+)", f.read())
            if m:
                self.url = "http://" + m.group(1)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        with open(self.log.name, errors="replace") as f:
            tail = f.read()[-2000:]
        self.stop()
        raise RuntimeError("the Loa server did not start: " + tail)

    def post(self, path, fields):
        req = urllib.request.Request(
            self.url + path, json.dumps(fields).encode(), {"content-type": "application/json"}
        )
        return urllib.request.urlopen(req, timeout=30).read()

    def pcm(self, text, rate=1.0, pitch=0.0, volume=1.0):
        fields = dict(text=text, rate=rate, pitch=pitch, volume=volume, format="pcm", ssml=False)
        return self.post("/v1/speech", fields)

    def marks(self, text):
        return json.loads(self.post("/v1/speech/marks", dict(text=text)))

    def metric(self, name):
        text = urllib.request.urlopen(self.url + "/metrics", timeout=5).read().decode()
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.log.close()
        if os.path.exists(self.log.name):
            os.unlink(self.log.name)


SERVER = None


def setUpModule():
    global SERVER
    SERVER = Server()


def tearDownModule():
    if SERVER:
        SERVER.stop()


def peak(pcm):
    a = array.array("h")
    a.frombytes(pcm[: len(pcm) // 2 * 2])
    return max((abs(x) for x in a), default=0)


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.005)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Listener:
    """Records synthIndexReached / synthDoneSpeaking with the bytes played at that moment."""

    def __init__(self, driver):
        self.driver = driver
        self.events = []
        self.done = threading.Event()
        handler.synthIndexReached.register(self.on_index)
        handler.synthDoneSpeaking.register(self.on_done)

    def player(self):
        return self.driver._player

    def on_index(self, synth, index):
        self.events.append(("index", index, self.player().played, time.monotonic()))

    def on_done(self, synth):
        self.events.append(("done", None, self.player().played, time.monotonic()))
        self.done.set()

    def indexes(self):
        return [(i, played) for kind, i, played, _ in self.events if kind == "index"]

    def close(self):
        handler.synthIndexReached.unregister(self.on_index)
        handler.synthDoneSpeaking.unregister(self.on_done)


class DriverTest(unittest.TestCase):
    def setUp(self):
        os.environ["LOA_URL"] = SERVER.url
        self.driver = loa.SynthDriver()
        self.events = Listener(self.driver)

    def tearDown(self):
        self.events.close()
        self.driver.terminate()
        self.assertFalse(self.driver._worker.is_alive(), "the worker thread did not end")

    def speak_and_wait(self, sequence, timeout=30):
        self.events.done.clear()
        self.driver.speak(sequence)
        self.assertTrue(self.events.done.wait(timeout), "synthDoneSpeaking never came")
        return bytes(self.driver._player.audio)

    def test_driver_shape(self):
        self.assertEqual(loa.SynthDriver.name, "loa")
        self.assertEqual({s.id for s in loa.SynthDriver.supportedSettings}, {"voice", "rate", "pitch", "volume"})
        self.assertIn(commands.IndexCommand, loa.SynthDriver.supportedCommands)
        self.assertIn(commands.BreakCommand, loa.SynthDriver.supportedCommands)
        self.assertEqual(
            loa.SynthDriver.supportedNotifications, {handler.synthIndexReached, handler.synthDoneSpeaking}
        )
        voices = self.driver.availableVoices
        self.assertIn("northern", voices)
        self.assertEqual(voices["northern"].language, "vi")
        self.assertEqual(self.driver.voice, "northern")

    def test_speaks_real_pcm_and_reports_indexes_where_the_words_start(self):
        seq = [commands.IndexCommand(1), TEXT1, commands.IndexCommand(2), TEXT2, commands.IndexCommand(3)]
        started = time.monotonic()
        self.driver.speak(seq)
        self.assertLess(time.monotonic() - started, 0.02, "speak() must not wait for the server")
        self.assertTrue(self.events.done.wait(30))
        fed = bytes(self.driver._player.audio)
        reference = SERVER.pcm(TEXT1 + TEXT2)
        # The very audio the server makes for the text, all of it, played to the end.
        self.assertEqual(len(fed), len(reference))
        self.assertEqual(fed, reference)
        self.assertGreater(peak(fed), 3000)
        self.assertEqual(self.driver._player.played, len(fed))
        # Index 2 sits before "Hôm": it is reached when the audio reaches that word's mark.
        hom = next(m for m in SERVER.marks(TEXT1 + TEXT2) if m["type"] == "word" and m["value"] == "Hôm")
        self.assertEqual(hom["start"], len(TEXT1.encode()))
        self.assertEqual(self.events.indexes(), [(1, 0), (2, hom["time"] * BYTES_PER_MS), (3, len(fed))])
        self.assertEqual(self.events.events[-1][0], "done")

    def test_first_audio_arrives_within_a_moment(self):
        player = self.driver._player
        for inner in (False, True):
            latencies = []
            for i in range(5):
                # Each from an idle driver, as when the user presses a key after silence.
                text = [f"Câu thứ {i + 1}. ", commands.IndexCommand(100 + i), "Xin chào các bạn."]
                before = len(player.fed)
                started = time.monotonic()
                self.speak_and_wait((text if inner else text[::2]) + [commands.IndexCommand(i)])
                latencies.append(player.fed[before][0] - started)
            median = statistics.median(latencies)
            print(f"\n    first audio fed after {', '.join(f'{x * 1000:.1f}' for x in latencies)} ms"
                  + (" (an index inside: marks fetched first)" if inner else ""))
            self.assertLess(median, 0.25)

    def test_cancel_stops_at_once(self):
        player = self.driver._player
        self.driver.speak([LONG, commands.IndexCommand(7)])
        wait_until(lambda: player.played > 16000 * 2 // 2, 10, "half a second of audio")
        active = SERVER.metric("loa_active_streams")
        self.assertGreaterEqual(active, 1)
        started = time.monotonic()
        self.driver.cancel()
        took = time.monotonic() - started
        played_at_cancel = player.played
        time.sleep(0.3)
        late = [t for t, _ in player.fed if t > started + 0.05]
        print(f"\n    cancel() returned after {took * 1000:.1f} ms; "
              f"{player.played - played_at_cancel} bytes played after it")
        self.assertLess(took, 0.05)
        self.assertEqual(late, [], "audio was still fed 50 ms after cancel()")
        self.assertLessEqual(player.played - played_at_cancel, 2 * loa.FEED_BYTES)
        self.assertEqual(self.events.indexes(), [], "an index of cancelled speech was reported")
        self.assertFalse(self.events.done.is_set(), "synthDoneSpeaking for cancelled speech")
        # The server notices the client leave and stops synthesizing.
        wait_until(lambda: SERVER.metric("loa_active_streams") < active, 2, "the server's stream to end")
        # Speech right after a cancel plays normally.
        audio = self.speak_and_wait(["Xin chào.", commands.IndexCommand(8)])
        self.assertEqual(self.events.indexes(), [(8, self.driver._player.played)])
        self.assertTrue(audio.endswith(SERVER.pcm("Xin chào.")))

    def test_pause_holds_the_audio(self):
        player = self.driver._player
        self.driver.speak([LONG])
        wait_until(lambda: player.played > 8000, 10, "audio")
        self.driver.pause(True)
        time.sleep(0.05)
        held = player.played
        time.sleep(0.3)
        self.assertEqual(player.played, held)
        self.driver.pause(False)
        wait_until(lambda: player.played > held + 3200, 2, "playback to resume")
        self.driver.cancel()

    def test_rate_pitch_volume_change_the_request(self):
        self.assertEqual([loa.rate_to_loa(r) for r in (0, 25, 50, 75, 100)], [0.5, 0.707, 1.0, 2.0, 4.0])
        self.assertEqual([loa.pitch_to_loa(p) for p in (0, 50, 100)], [-12.0, 0.0, 12.0])
        self.assertEqual([loa.volume_to_loa(v) for v in (0, 50, 100)], [0.0, 0.5, 1.0])
        normal = self.speak_and_wait([TEXT2])
        self.driver._player.audio.clear()
        self.driver.rate = 100
        fast = self.speak_and_wait([TEXT2])
        self.assertEqual(fast, SERVER.pcm(TEXT2, rate=4.0))
        self.assertLess(len(fast), len(normal) * 0.4)
        self.driver.rate = 50
        self.driver.pitch = 100
        self.driver._player.audio.clear()
        high = self.speak_and_wait([TEXT2])
        self.assertEqual(high, SERVER.pcm(TEXT2, pitch=12.0))
        self.assertNotEqual(high, normal)
        self.driver.pitch = 50
        self.driver.volume = 50
        self.driver._player.audio.clear()
        soft = self.speak_and_wait([TEXT2])
        self.assertEqual(soft, SERVER.pcm(TEXT2, volume=0.5))
        self.assertLess(peak(soft), peak(normal) * 0.7)

    def test_breaks_and_prosody_commands(self):
        self.driver._player.audio.clear()
        seq = [
            "Xin chào.",
            commands.BreakCommand(400),
            commands.IndexCommand(1),
            commands.PitchCommand(offset=30),
            "A",
            commands.PitchCommand(),
            commands.IndexCommand(2),
        ]
        audio = self.speak_and_wait(seq)
        first = SERVER.pcm("Xin chào.")
        capital = SERVER.pcm("A", pitch=loa.pitch_to_loa(80))
        self.assertEqual(audio, first + bytes(400 * BYTES_PER_MS) + capital)
        self.assertEqual(self.events.indexes(), [(1, len(first) + 400 * BYTES_PER_MS), (2, len(audio))])

    def test_text_that_looks_like_ssml_is_read_as_text(self):
        # Reading HTML source or code: "<speak" at the start must not make it SSML (malformed
        # SSML would be refused, and the user would hear nothing).
        text = "<speak>Xin chào"
        self.driver._player.audio.clear()
        errors = len(fake_nvda.log.at("error"))
        audio = self.speak_and_wait([text])
        self.assertEqual(fake_nvda.log.at("error")[errors:], [])
        self.assertEqual(audio, SERVER.pcm(text))
        self.assertGreater(len(audio), 16000)

    def test_server_gone_after_start_is_logged_and_speech_ends(self):
        other = Server()
        os.environ["LOA_URL"] = other.url
        driver = loa.SynthDriver()
        other.stop()
        events = Listener(driver)
        try:
            errors = len(fake_nvda.log.at("error"))
            driver.speak([commands.IndexCommand(1), TEXT1, commands.IndexCommand(2), TEXT2, commands.IndexCommand(3)])
            self.assertTrue(events.done.wait(10), "synthDoneSpeaking never came")
            # NVDA waits for the indexes to move on (say all), so they are all reported.
            self.assertEqual([i for i, _ in events.indexes()], [1, 2, 3])
            new = fake_nvda.log.at("error")[errors:]
            self.assertTrue(any(other.url in e for e in new), new)
            self.assertTrue(driver._worker.is_alive())
        finally:
            events.close()
            driver.terminate()


class UnreachableTest(unittest.TestCase):
    def test_unreachable_server_is_an_error_nvda_can_fall_back_from(self):
        os.environ["LOA_URL"] = "http://127.0.0.1:9"
        errors = len(fake_nvda.log.at("error"))
        with self.assertRaises(RuntimeError) as caught:
            loa.SynthDriver()
        self.assertIn("127.0.0.1:9", str(caught.exception))
        self.assertTrue(any("127.0.0.1:9" in e for e in fake_nvda.log.at("error")[errors:]))


class SequenceTest(unittest.TestCase):
    def test_index_offsets_are_utf8_bytes(self):
        segs = loa.segments(["Hôm ", commands.IndexCommand(5), "nay"], 50, 50, 100)
        self.assertEqual(len(segs), 1)
        self.assertEqual(segs[0].text, "Hôm nay")
        self.assertEqual(segs[0].indexes, [(len("Hôm ".encode()), 5)])

    def test_prosody_commands_scale_the_settings(self):
        segs = loa.segments(
            ["a", commands.RateCommand(multiplier=2), "b", commands.RateCommand(), "c"], 30, 50, 100
        )
        self.assertEqual([(s.text, s.rate) for s in segs], [("a", 30), ("b", 60), ("c", 30)])


if __name__ == "__main__":
    unittest.main()
