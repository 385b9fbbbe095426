#!/usr/bin/env python3
"""End-to-end test of the speech-dispatcher integration, with real programs only.

It starts a Loa server on a free port, a PulseAudio daemon whose only sink is a pipe paced by
the system clock (so what a sound card would play arrives in a FIFO, in real time, and is read
here with timestamps), and the real `speech-dispatcher` with the Loa module (loa.conf +
loa-speechd-say, installed by install.sh) as its default module, all under a temporary
directory. Then `spd-say`:

1. a short message is spoken: non-silent audio of plausible length reaches the sound server,
   the Loa server counted the request, and the time to the first audible sample is reported;
2. rate 100 (Loa 4×) makes the same message much shorter;
3. `spd-say -S` (stop) and `spd-say -C` (cancel) during a long text: the audio stops (within
   SPD_SAY_STOP_BOUND of starting spd-say) and no synthesis process (curl, player) is left;
   SSIP `STOP all` / `CANCEL all` on an already open connection: within STOP_BOUND;
4. for the native module: index marks come in order when the audio reaches them, and INIT
   against an unreachable server fails with the reason.

Usage: test.py LOA_BINARY. Exit status 0 when every check passed. Figures are printed.
"""

import array
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
RATE = 16000
CHUNK = 640  # bytes read at a time from the sink: 20 ms of 16-bit mono
SILENCE = 300  # peak below which a 20 ms chunk counts as silent
STOP_BOUND = 0.3  # seconds from a stop on an open SSIP connection to the last audible sample
SPD_SAY_STOP_BOUND = 1.0  # the same from starting `spd-say -S`, a new process
SHORT = "Xin chào các bạn. Hôm nay trời đẹp."
LONG = " ".join(
    [
        "Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam.",
        "Thành phố nằm bên bờ sông Hồng, có hơn một nghìn năm lịch sử.",
        "Mỗi sáng, người dân tập thể dục quanh hồ Hoàn Kiếm.",
    ]
    * 8
)


class Sink:
    """Reads the pipe sink's FIFO on a thread: a list of (monotonic time, peak) per 20 ms."""

    def __init__(self, path):
        self.chunks = []
        self.lock = threading.Lock()
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        import select

        while not self.stopping:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self.fd, CHUNK)
            except BlockingIOError:
                continue
            if not data:
                time.sleep(0.01)
                continue
            samples = array.array("h")
            samples.frombytes(data[: len(data) // 2 * 2])
            peak = max((abs(s) for s in samples), default=0)
            with self.lock:
                self.chunks.append((time.monotonic(), peak))

    def audible(self, since):
        """Times of the non-silent chunks read after `since`."""
        with self.lock:
            return [t for t, peak in self.chunks if t >= since and peak > SILENCE]

    def close(self):
        self.stopping = True
        self.thread.join()
        os.close(self.fd)


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def speech_requests(url):
    """The Loa server's count of finished /v1/speech requests (its Prometheus metrics)."""
    text = urllib.request.urlopen(url + "/metrics", timeout=5).read().decode()
    total = 0
    for line in text.splitlines():
        if line.startswith("loa_http_requests_total{") and 'route="/v1/speech"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def helper_processes(tmp):
    """Processes still running the module's pipeline (curl or the player) for this test."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if tmp.encode() in env and re.search(r"\b(curl|paplay|aplay|play)\b", cmd) and "sd_loa" not in cmd:
            found.append((int(pid), cmd.strip()))
    return found


class Rig:
    """Loa server + PulseAudio (pipe sink) + speech-dispatcher, all under one temp dir."""

    def __init__(self, loa, native):
        self.native = native
        self.tmp = tempfile.mkdtemp(prefix="loa-speechd-")
        self.procs = []
        self.sink = None
        self.env = dict(os.environ)
        for name in ("run", "home", "config", "log"):
            os.makedirs(os.path.join(self.tmp, name), exist_ok=True)
        os.chmod(os.path.join(self.tmp, "run"), 0o700)
        self.env.update(
            XDG_RUNTIME_DIR=os.path.join(self.tmp, "run"),
            HOME=os.path.join(self.tmp, "home"),
            XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
            SPEECHD_ADDRESS="unix_socket:" + os.path.join(self.tmp, "speechd.sock"),
            LOA_TEST_TMP=self.tmp,  # marks every process of this rig (see helper_processes)
        )
        self.env.pop("PULSE_SERVER", None)
        self.url = self._start_loa(loa)
        self._start_pulse()
        self._start_speechd()

    def _spawn(self, args, **kw):
        log = open(os.path.join(self.tmp, "log", os.path.basename(args[0]) + ".out"), "ab")
        p = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT, **kw)
        self.procs.append(p)
        return p

    def _start_loa(self, loa):
        log = os.path.join(self.tmp, "log", "loa.out")
        p = subprocess.Popen(
            [loa, "serve", "--addr", "127.0.0.1:0"],
            env=dict(self.env, RUST_LOG="info"),
            stdout=subprocess.DEVNULL,
            stderr=open(log, "wb"),
        )
        self.procs.append(p)

        def listening():
            m = re.search(r"listening addr=(\S+)", open(log, errors="replace").read())
            return m and m.group(1)

        addr = wait_for(listening, 60, "the Loa server to listen")
        url = f"http://{addr}"
        wait_for(lambda: urllib.request.urlopen(url + "/readyz", timeout=2).status == 200, 10, "/readyz")
        return url

    def _start_pulse(self):
        fifo = os.path.join(self.tmp, "sink.fifo")
        config = os.path.join(self.tmp, "default.pa")
        with open(config, "w") as f:
            f.write(
                f"load-module module-pipe-sink sink_name=loa_test file={fifo} format=s16le "
                f"rate={RATE} channels=1 use_system_clock_for_timing=yes\n"
                "set-default-sink loa_test\n"
                "load-module module-native-protocol-unix\n"
            )
        self._spawn(
            ["pulseaudio", "-n", "-F", config, "--daemonize=no", "--exit-idle-time=-1",
             "--disallow-exit", "--log-target=stderr"]
        )
        wait_for(lambda: os.path.exists(fifo), 10, "the pulse pipe sink")
        wait_for(
            lambda: subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode == 0,
            10,
            "pulseaudio",
        )
        self.sink = Sink(fifo)

    def _start_speechd(self):
        # Installed as a user would (install.sh, into this rig's HOME and XDG_CONFIG_HOME),
        # pointed at the test's server and made the default module.
        subprocess.run(
            [os.path.join(HERE, "install.sh"), "--url", self.url, "--default"]
            + (["--native"] if self.native else []),
            env=self.env, check=True, stdout=subprocess.DEVNULL,
        )
        conf_dir = os.path.join(self.env["XDG_CONFIG_HOME"], "speech-dispatcher")
        with open(os.path.join(conf_dir, "speechd.conf"), "a") as f:
            f.write('AudioOutputMethod "pulse"\nLogLevel 3\n')
        sock = os.path.join(self.tmp, "speechd.sock")
        self._spawn(
            ["speech-dispatcher", "-s", "-t", "0", "-C", conf_dir, "-S", sock,
             "-L", os.path.join(self.tmp, "log")]
        )
        wait_for(lambda: os.path.exists(sock), 10, "the speech-dispatcher socket")

    def spd_say(self, *args, wait=True):
        cmd = ["spd-say", *args]
        if wait:
            return subprocess.run(cmd, env=self.env, capture_output=True, timeout=120)
        return subprocess.Popen(cmd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def close(self):
        if self.sink:
            self.sink.close()
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        # speech-dispatcher's module processes leave with it; anything of ours left is a bug.
        for pid, _ in helper_processes(self.tmp):
            os.kill(pid, signal.SIGKILL)
        if os.environ.get("LOA_KEEP_TMP"):
            print(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def spoken(rig, args, text):
    """Speaks `text` with `spd-say -w args`; returns (first audio latency, audible seconds)."""
    start = time.monotonic()
    r = rig.spd_say("-w", *args, text)
    assert r.returncode == 0, f"spd-say failed: {r.stderr.decode()}"
    time.sleep(0.3)  # the sink's own buffering
    heard = rig.sink.audible(start)
    assert heard, f"no audio reached the sound server for spd-say {' '.join(args)}"
    return heard[0] - start, heard[-1] - heard[0]


def check_stop(rig, stopper):
    """Interrupts a long text with `stopper()`; returns (seconds to the last audible sample,
    seconds until curl and the player are gone, seconds of audio heard)."""
    start = time.monotonic()
    rig.spd_say("-o", "loa", "-l", "vi", LONG, wait=False).wait(10)
    first = wait_for(lambda: rig.sink.audible(start), 10, "the long text to be heard")[0]
    wait_for(lambda: rig.sink.audible(first + 1.5), 10, "1.5 s of the long text")
    stop = time.monotonic()
    stopper()
    gone = wait_for(lambda: not helper_processes(rig.tmp) and time.monotonic(), 5, "curl and the player to end")
    time.sleep(1.0)
    heard = rig.sink.audible(start)
    latency = heard[-1] - stop
    return latency, gone - stop, heard[-1] - heard[0]


class Ssip:
    """A minimal SSIP client on the rig's socket, with every notification on."""

    def __init__(self, rig, ssml, timeout=20):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(os.path.join(rig.tmp, "speechd.sock"))
        self.sock.settimeout(timeout)
        self.f = self.sock.makefile("rwb")
        self.events = []  # (time, event code, mark name): 700 mark, 701 begin, 702 end,
        # 703 cancelled, 704 paused, 705 resumed
        self.command("SET SELF CLIENT_NAME root:loa-test:main")
        self.command("SET SELF OUTPUT_MODULE loa")
        self.command("SET SELF LANGUAGE vi")
        self.command("SET SELF SSML_MODE " + ("on" if ssml else "off"))
        self.command("SET SELF NOTIFICATION ALL on")

    def reply(self):
        lines = []
        while True:
            line = self.f.readline().decode().rstrip("\r\n")
            assert line, "speech-dispatcher closed the connection"
            lines.append(line)
            if len(line) >= 4 and line[3] == " ":
                return lines

    def reply_skipping_events(self):
        while True:
            lines = self.reply()
            if lines[-1][0] != "7":
                return lines
            self._event(lines)

    def _event(self, lines):
        code = lines[-1][:3]
        mark = lines[2][4:] if code == "700" and len(lines) >= 4 else None
        self.events.append((time.monotonic(), code, mark))
        return code

    def command(self, line):
        self.f.write(line.encode() + b"\r\n")
        self.f.flush()
        lines = self.reply_skipping_events()
        assert lines[-1][0] == "2", f"{line}: {lines}"
        return lines

    def speak(self, text):
        self.command("SPEAK")
        sent = time.monotonic()
        self.f.write(text.encode() + b"\r\n.\r\n")
        self.f.flush()
        assert self.reply_skipping_events()[-1].startswith("225"), "message not queued"
        return sent

    def wait_event(self, codes):
        """Reads events until one whose code is in `codes`; returns it."""
        for event in self.events:
            if event[1] in codes:
                return event
        while True:
            self._event(self.reply())
            if self.events[-1][1] in codes:
                return self.events[-1]

    def close(self):
        self.sock.close()


def run_checks(rig):
    """Runs every check against one rig; returns the number of failures."""
    failures = 0

    def check(name, fn):
        nonlocal failures
        try:
            fn()
            print(f"ok   {name}")
        except AssertionError as e:
            failures += 1
            print(f"FAIL {name}: {e}")

    try:
        def listed():
            modules = rig.spd_say("-O").stdout.decode()
            assert "loa" in modules.split(), f"spd-say -O: {modules!r}"

        check("speech-dispatcher lists the loa module", listed)

        results = {}

        def short():
            before = speech_requests(rig.url)
            latencies, lengths = [], []
            for _ in range(3):
                first, length = spoken(rig, ["-o", "loa", "-l", "vi"], SHORT)
                latencies.append(first)
                lengths.append(length)
            after = speech_requests(rig.url)
            assert after == before + 3, f"the Loa server served {after - before} requests, not 3"
            # Two sentences of about 1.5 s each at rate 1, with a pause between them.
            assert all(1.5 < n < 6 for n in lengths), f"audible lengths {lengths} s"
            results["first"] = sorted(latencies)
            results["length"] = lengths[0]
            print(f"     first audio after {', '.join(f'{x * 1000:.0f}' for x in sorted(latencies))} ms; "
                  f"{lengths[0]:.2f} s audible")

        check("a message is spoken (audio reaches the sound server)", short)

        def fast():
            _, length = spoken(rig, ["-o", "loa", "-l", "vi", "-r", "100"], SHORT)
            base = results.get("length")
            assert base, "no rate-0 length to compare with"
            assert length < base * 0.45, f"rate 100: {length:.2f} s against {base:.2f} s at rate 0"
            print(f"     rate 100: {length:.2f} s audible against {base:.2f} s at rate 0")

        check("spd-say -r 100 speaks about 4× faster", fast)

        # spd-say -S / -C: a new process each time, so the bound allows for its start-up on a
        # loaded machine; the module's own share is measured below on an open connection.
        for flag in ("-S", "-C"):

            def stop(flag=flag):
                def stopper():
                    r = rig.spd_say(flag)
                    assert r.returncode == 0, f"spd-say {flag} failed: {r.stderr.decode()}"

                latency, gone, heard = check_stop(rig, stopper)
                print(f"     spd-say {flag}: audio stopped {latency * 1000:.0f} ms after the command, "
                      f"processes gone after {gone * 1000:.0f} ms; {heard:.1f} s of ~60 s heard")
                assert latency < SPD_SAY_STOP_BOUND, f"audio went on for {latency * 1000:.0f} ms"
                assert heard < 5, f"{heard:.1f} s of audio heard"

            check(f"spd-say {flag} stops the speech", stop)

        for command in ("STOP all", "CANCEL all"):

            def stop_connected(command=command):
                client = Ssip(rig, ssml=False)
                try:
                    latency, gone, heard = check_stop(rig, lambda: client.command(command))
                finally:
                    client.close()
                print(f"     SSIP {command}: audio stopped {latency * 1000:.0f} ms after it, processes gone "
                      f"after {gone * 1000:.0f} ms")
                assert latency < STOP_BOUND, f"audio went on for {latency * 1000:.0f} ms"
                assert gone < STOP_BOUND, f"the player lived {gone * 1000:.0f} ms"

            check(f"SSIP {command} on an open connection stops the speech at once", stop_connected)

        def marks():
            first, second = "Xin chào các bạn. ", "Hôm nay trời đẹp."
            client = Ssip(rig, ssml=True)
            try:
                sent = client.speak(f'<speak>{first}<mark name="m1"/>{second}<mark name="m2"/></speak>')
                client.wait_event(("702", "703"))
            finally:
                client.close()
            events = client.events
            names = [(code, mark) for _, code, mark in events]
            assert names == [("701", None), ("700", "m1"), ("700", "m2"), ("702", None)], names
            req = urllib.request.Request(
                rig.url + "/v1/speech/marks",
                json.dumps({"text": first + second}).encode(),
                {"content-type": "application/json"},
            )
            words = json.loads(urllib.request.urlopen(req, timeout=5).read())
            hom = next(w["time"] / 1000 for w in words if w["type"] == "word" and w["start"] == len(first.encode()))
            # Against the audio as the sound server got it (its first sample is the first word's).
            time.sleep(0.3)
            heard = rig.sink.audible(sent)[0]
            m1 = events[1][0] - heard
            print(f"     m1 reported {m1 * 1000:.0f} ms after the first audible sample; the word after it "
                  f"starts {hom * 1000:.0f} ms into the audio")
            assert abs(m1 - hom) < 0.25, "m1 not reported when its word was reached"

        def unreachable():
            conf = os.path.join(rig.tmp, "unreachable.conf")
            with open(conf, "w") as f:
                f.write('LoaServer "http://127.0.0.1:9"\n')
            r = subprocess.run(
                [os.path.join(HERE, "sd_loa"), conf], input=b"INIT\n", capture_output=True, timeout=10,
                env=dict(rig.env, LOA_URL=""),
            )
            out = r.stdout.decode()
            assert out.endswith("399 ERR CANT INIT MODULE\n") and "127.0.0.1:9" in out, out

        if rig.native:
            check("index marks are reported when the audio reaches them", marks)
            check("an unreachable server fails INIT with the reason (speechd drops the module)", unreachable)
    finally:
        rig.close()
    return failures


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for tool in ("speech-dispatcher", "spd-say", "pulseaudio", "pactl", "paplay", "curl"):
        if not shutil.which(tool):
            sys.exit(f"missing {tool}: apt-get install speech-dispatcher pulseaudio pulseaudio-utils curl")
    failures = 0
    for native in (False, True):
        print("== " + ("native module sd_loa (install.sh --native)" if native else "sd_generic module loa.conf (install.sh)"))
        failures += run_checks(Rig(os.path.abspath(sys.argv[1]), native))
    if failures:
        sys.exit(f"{failures} check(s) failed")


if __name__ == "__main__":
    main()
