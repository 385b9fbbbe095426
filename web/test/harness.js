// What the browser tests share: the real `loa serve` (built binary, built-in voice) on a free
// port, a tiny static server for the sample news page (another origin, so CORS is exercised),
// headless Chromium through playwright-core, axe-core, and a WAV reader.
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const LOA = process.env.LOA_BIN || path.join(ROOT, 'target', 'debug', 'loa');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Starts `loa serve` on port 0 with the repository's voices; resolves to its origin.
function startLoa(extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      LOA,
      ['serve', '--addr', '127.0.0.1:0', '--voices', path.join(ROOT, 'voices'), ...extraArgs],
      { env: { ...process.env, LOA_LOG_FORMAT: 'json', RUST_LOG: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] }
    );
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('loa did not start within 20 s')), 20000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`loa exited with ${code}: ${buffered}`)));
    child.stderr.on('data', (chunk) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        let entry;
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if (entry.fields && entry.fields.message === 'listening') {
          clearTimeout(timer);
          child.stderr.removeAllListeners('data');
          child.stderr.resume();
          resolve({ origin: `http://${entry.fields.addr}`, stop: () => child.kill('SIGTERM') });
          return;
        }
      }
    });
  });
}

// Serves `pages` ({path: html}) on a free port; `{{LOA}}` in a page becomes `loaOrigin`.
function startPages(pages, loaOrigin) {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://x').pathname];
    if (page === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page.split('{{LOA}}').join(loaOrigin()));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ origin: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() });
    });
  });
}

// Headless Chromium with a fresh profile. Headless Chromium has no audio device, but with
// --autoplay-policy=no-user-gesture-required media elements play and their clocks advance.
async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core's violations on the page as it is now (every rule axe runs by default, WCAG 2.x
// A/AA and best practices).
async function axe(page) {
  // Evaluated through the DevTools protocol: the reader's Content-Security-Policy (rightly)
  // refuses inline scripts.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(`${AXE}\n;true`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

// The fields of a WAV file's canonical 44-byte header.
function readWav(bytes) {
  const b = Buffer.from(bytes);
  return {
    riff: b.toString('ascii', 0, 4),
    wave: b.toString('ascii', 8, 12),
    riffSize: b.readUInt32LE(4),
    channels: b.readUInt16LE(22),
    sampleRate: b.readUInt32LE(24),
    bits: b.readUInt16LE(34),
    data: b.toString('ascii', 36, 40),
    dataSize: b.readUInt32LE(40),
    length: b.length,
  };
}

// Installs, before any page script, a recorder of when media started and of keyboard and
// click events, so time to first audio is measured in the page's own clock.
async function recordTimings(context) {
  await context.addInitScript(() => {
    window.__loa = { input: [], playing: [], media: [] };
    const note = (list) => (e) => list.push({ t: performance.now(), type: e.type });
    document.addEventListener('keydown', note(window.__loa.input), true);
    document.addEventListener('click', note(window.__loa.input), true);
    document.addEventListener('playing', note(window.__loa.playing), true);
    for (const type of ['loadstart', 'loadedmetadata', 'loadeddata', 'playing']) {
      document.addEventListener(type, note(window.__loa.media), true);
    }
  });
}

// Time from the key press (or click) to the first `playing` event after it, with the media
// events in between, all in ms from the key press.
function firstAudio(page, after = 0) {
  return page.evaluate((after) => {
    const played = window.__loa.playing[after].t;
    const pressed = window.__loa.input.filter((e) => e.t <= played).pop().t;
    const steps = window.__loa.media
      .filter((e) => e.t >= pressed && e.t <= played)
      .map((e) => `${e.type} ${(e.t - pressed).toFixed(0)}`);
    return { ms: played - pressed, steps: steps.join(', ') };
  }, after);
}

// Presses Tab until `selector` has the focus; returns how many presses it took.
async function tabTo(page, selector, limit = 60) {
  for (let n = 1; n <= limit; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) {
      return n;
    }
  }
  throw new Error(`${selector} not reached with ${limit} Tab presses`);
}

// The focused element's outline, as drawn (a visible focus indicator).
function focusOutline(page) {
  return page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
}

// Samples the playing audio's clock and the highlighted text for `ms`.
async function sampleHighlight(page, audioSelector, ms) {
  return page.evaluate(
    async ({ audioSelector, ms }) => {
      const out = [];
      const end = performance.now() + ms;
      while (performance.now() < end) {
        const audio = document.querySelector(audioSelector);
        const marked = Array.from(document.querySelectorAll('mark.loa-current'))
          .map((m) => m.textContent)
          .join('');
        if (audio) out.push({ t: audio.currentTime * 1000, paused: audio.paused, marked: marked.replace(/\s+/g, ' ').trim() });
        await new Promise((r) => setTimeout(r, 50));
      }
      return out;
    },
    { audioSelector, ms }
  );
}

// Checks samples against sentence marks: each highlight is the sentence whose mark time was
// last passed (within `slackMs` of a boundary either is accepted). Returns the sentences seen.
function checkAgainstMarks(samples, marks, slackMs = 150) {
  const sentences = marks.filter((m) => m.type === 'sentence');
  const norm = (s) => s.replace(/\s+/g, ' ').trim();
  const seen = [];
  const wrong = [];
  for (const s of samples) {
    if (!s.marked) continue;
    const at = (t) => sentences.filter((m) => m.time <= t).pop();
    const ok = [at(s.t), at(s.t - slackMs), at(s.t + slackMs)].filter(Boolean).map((m) => norm(m.value));
    if (!ok.includes(s.marked)) wrong.push({ t: Math.round(s.t), marked: s.marked, expected: ok });
    if (seen[seen.length - 1] !== s.marked) seen.push(s.marked);
  }
  return { seen, wrong };
}

// With the focus on the play/pause button: `pauseKey` pauses (the clock stops, the status and
// the button say so), `resumeKey` resumes (the clock moves on).
async function pauseAndResume(page, { audio, status, button, pauseKey, resumeKey }) {
  await page.keyboard.press(pauseKey);
  const pausedAt = await page.$eval(audio, (a) => (a.paused ? a.currentTime : -1));
  assert.ok(pausedAt > 0, `paused by ${pauseKey}`);
  assert.equal(await page.textContent(status), 'Đã tạm dừng.');
  assert.match(await page.textContent(button), /Nghe tiếp/);
  await page.waitForTimeout(300);
  assert.equal(await page.$eval(audio, (a) => a.currentTime), pausedAt, 'the clock stands still');
  await page.keyboard.press(resumeKey);
  await page.waitForFunction(
    ({ audio, t }) => document.querySelector(audio).currentTime > t + 0.3,
    { audio, t: pausedAt }
  );
}

// Checks that `bytes` are one whole 16-bit mono WAV file with real sizes; returns its seconds.
function wholeWavSeconds(bytes) {
  const wav = readWav(bytes);
  assert.equal(wav.riff, 'RIFF');
  assert.equal(wav.wave, 'WAVE');
  assert.equal(wav.data, 'data');
  assert.equal(wav.riffSize, wav.length - 8, 'RIFF size');
  assert.equal(wav.dataSize, wav.length - 44, 'data size');
  assert.equal(wav.channels, 1);
  assert.equal(wav.bits, 16);
  return wav.dataSize / (wav.sampleRate * 2);
}

module.exports = {
  firstAudio,
  pauseAndResume,
  wholeWavSeconds,
  ROOT,
  startLoa,
  startPages,
  launch,
  axe,
  recordTimings,
  tabTo,
  focusOutline,
  sampleHighlight,
  checkAgainstMarks,
};
