// The web reader at / in real headless Chromium against the real `loa serve`: pasted text
// plays, the highlight follows the marks, download gives a WAV, keyboard only, axe-clean,
// no horizontal scrolling at 200% and 400% zoom.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const h = require('./harness');

const TEXT = [
  'Loa đọc báo cho người khiếm thị.',
  'Sáng nay trời Hà Nội se lạnh. Người đi bộ quanh hồ đông hơn mọi ngày, ai cũng mặc áo ấm.',
  'Ở chợ Đồng Xuân, giá rau tăng nhẹ. Một bó rau muống có giá mười lăm nghìn đồng.',
  'Chiều tối, gió mùa đông bắc tràn về. Nhiệt độ có thể xuống dưới mười lăm độ.',
].join('\n');

let loa;
let browser;
let page;

before(async () => {
  loa = await h.startLoa();
  browser = await h.launch();
  await h.recordTimings(browser.context);
  page = await browser.context.newPage();
  await page.goto(loa.origin + '/');
});

after(async () => {
  if (browser) await browser.close();
  if (loa) loa.stop();
});

test('the page has no accessibility violations before and during playback', async () => {
  assert.deepEqual(await h.axe(page), []);
  // The voices come from /v1/voices.
  const voices = await page.$$eval('#voice option', (o) => o.map((x) => x.value));
  assert.ok(voices.includes('northern'), voices.join());
});

test('keyboard alone: paste, set the speed, play; audio plays and the highlight follows the marks', async () => {
  await page.bringToFront();
  const textTabs = await h.tabTo(page, '#text');
  assert.ok((await h.focusOutline(page)).style !== 'none' || textTabs > 0);
  await page.keyboard.insertText(TEXT);
  await h.tabTo(page, '#rate');
  const outline = await h.focusOutline(page);
  assert.notEqual(outline.style, 'none', 'the speed slider shows its focus');
  assert.ok(outline.width >= 2, `focus outline ${outline.width}px`);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.inputValue('#rate'), '2');
  assert.equal(await page.textContent('#rate-value'), '2×');
  await h.tabTo(page, '#play');
  assert.notEqual((await h.focusOutline(page)).style, 'none', 'the play button shows its focus');

  const marksResponse = page.waitForResponse((r) => r.url().includes('/v1/speech/marks'));
  const audioRequest = page.waitForRequest((r) => r.url().includes('/v1/speech?'));
  await page.keyboard.press('Enter');
  const audioUrl = new URL((await audioRequest).url());
  assert.equal(audioUrl.searchParams.get('rate'), '2');
  assert.equal(audioUrl.searchParams.get('voice'), 'northern');
  await page.waitForFunction(() => window.__loa.playing.length > 0, null, { timeout: 10000 });
  const first = await h.firstAudio(page);
  const firstAudio = first.ms;
  console.log(`reader: time to first audio ${firstAudio.toFixed(1)} ms (keydown → playing; ${first.steps})`);
  // A sanity bound only (the machine running the tests may be loaded); the figure is printed.
  assert.ok(firstAudio < 3000, `first audio after ${firstAudio} ms`);
  const marks = await (await marksResponse).json();

  const samples = await h.sampleHighlight(page, '#players audio', 5000);
  const advanced = samples[samples.length - 1].t - samples[0].t;
  assert.ok(advanced > 3500, `the audio clock advanced ${advanced} ms in 5 s`);
  const { seen, wrong } = h.checkAgainstMarks(samples, marks);
  assert.deepEqual(wrong, [], 'highlight disagrees with the marks');
  assert.ok(seen.length >= 3, `sentences highlighted: ${JSON.stringify(seen)}`);
  console.log(`reader: ${samples.length} samples, sentences highlighted in turn: ${JSON.stringify(seen)}`);
  const order = marks.filter((m) => m.type === 'sentence').map((m) => m.value.replace(/\s+/g, ' ').trim());
  const positions = seen.map((s) => order.indexOf(s));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'highlight moves forward');
  assert.equal(await page.textContent('#status'), '', 'the status region is quiet while Loa speaks');
  assert.deepEqual(await h.axe(page), [], 'no violations with a sentence highlighted');

  // Pause and resume from the same button, by keyboard.
  await page.focus('#play');
  await h.pauseAndResume(page, {
    audio: '#players audio',
    status: '#status',
    button: '#play',
    pauseKey: 'Enter',
    resumeKey: ' ',
  });

  await h.tabTo(page, '#stop');
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent('#status'), 'Đã dừng.');
  assert.equal(await page.$$eval('#players audio', (a) => a.length), 0);
  assert.equal(await page.$$eval('mark.loa-current', (m) => m.length), 0);
});

test('the text plays to its end', async () => {
  await page.fill('#text', 'Xin chào.\nTôi là Loa.');
  await page.focus('#play');
  const before = await page.evaluate(() => window.__loa.playing.length);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => window.__loa.playing.length > n, before);
  const again = await h.firstAudio(page, before);
  console.log(`reader: time to first audio, second play on the page ${again.ms.toFixed(1)} ms (${again.steps})`);
  await page.waitForFunction(() => document.querySelector('#status').textContent === 'Đã đọc xong.', null, {
    timeout: 15000,
  });
  assert.equal(await page.$$eval('mark.loa-current', (m) => m.length), 0);
});

test('the download button saves a whole WAV file', async () => {
  await page.fill('#text', TEXT);
  await page.focus('#download');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(download.suggestedFilename(), 'loa.wav');
  const seconds = h.wholeWavSeconds(fs.readFileSync(await download.path()));
  assert.ok(seconds > 5 && seconds < 30, `${seconds} s of audio at rate 2`);
  await page.waitForFunction(() => /Đã tải tệp âm thanh/.test(document.querySelector('#status').textContent));
});

test('an error from the service is shown in the status region', async () => {
  await page.fill('#text', 'Xin chào.');
  await page.selectOption('#voice', { index: 0 });
  await page.evaluate(() => {
    const o = document.createElement('option');
    o.value = 'khong-co';
    o.textContent = 'Không có';
    document.querySelector('#voice').appendChild(o);
  });
  await page.selectOption('#voice', 'khong-co');
  await page.focus('#play');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^Lỗi: /.test(document.querySelector('#status').textContent));
  assert.equal(await page.textContent('#status'), 'Lỗi: giọng đọc này không có trên máy chủ.');
  await page.selectOption('#voice', 'northern');
});

test('a long text plays piece by piece: the next piece is fetched ahead, the highlight goes on', async () => {
  // Pieces of one short line (instead of ~1,000 characters) so the test is short.
  const lines = ['Một hai ba.', 'Bốn năm sáu.', 'Bảy tám chín.', 'Mười mười một.'];
  const budget = Math.max(...lines.map((l) => encodeURIComponent(l).length));
  await page.evaluate((budget) => {
    window.Loa.settings.pieceBudget = budget;
    window.Loa.settings.prefetchMs = 1500;
  }, budget);
  const requests = [];
  const onRequest = (r) => {
    if (r.url().includes('/v1/speech?')) requests.push({ at: Date.now(), text: new URL(r.url()).searchParams.get('text') });
  };
  page.on('request', onRequest);
  const text = lines.join('\n');
  await page.fill('#text', text);
  await page.$eval('#rate', (r) => {
    r.value = '4';
    r.dispatchEvent(new Event('input'));
  });
  await page.evaluate(() => {
    window.__pieces = [];
    new MutationObserver((changes) => {
      for (const c of changes) {
        for (const n of c.addedNodes) {
          if (n.tagName !== 'AUDIO') continue;
          const entry = { added: performance.now() };
          window.__pieces.push(entry);
          n.addEventListener('playing', () => { entry.playing = entry.playing || performance.now(); });
          n.addEventListener('ended', () => { entry.ended = performance.now(); });
        }
      }
    }).observe(document.querySelector('#players'), { childList: true });
  });
  assert.deepEqual(
    await page.evaluate((t) => window.Loa.pieces(t, 0).map((p) => t.slice(p.start, p.end)), text + '\n'),
    text.split('\n'),
    'one piece a line at this budget'
  );
  await page.focus('#play');
  await page.keyboard.press('Enter');
  const seen = new Set();
  while ((await page.textContent('#status')) !== 'Đã đọc xong.') {
    const marked = await page.$$eval('mark.loa-current', (ms) => ms.map((m) => m.textContent).join(''));
    if (marked) seen.add(marked);
    await page.waitForTimeout(40);
  }
  page.off('request', onRequest);
  await page.evaluate(() => Object.assign(window.Loa.settings, { pieceBudget: 6000, prefetchMs: 4000 }));
  assert.deepEqual(requests.map((r) => r.text), text.split('\n'), 'each piece requested once, in order');
  assert.deepEqual([...seen], text.split('\n'), 'every sentence highlighted in turn');
  const pieces = await page.evaluate(() => window.__pieces);
  assert.equal(pieces.length, 4);
  const gaps = [];
  for (let i = 1; i < pieces.length; i++) {
    assert.ok(pieces[i].added < pieces[i - 1].ended, `piece ${i} was fetched before piece ${i - 1} ended`);
    gaps.push(pieces[i].playing - pieces[i - 1].ended);
  }
  console.log(`reader: silence added between pieces (ended → playing): ${gaps.map((g) => g.toFixed(1)).join(', ')} ms`);
  assert.ok(Math.max(...gaps) < 250, `gaps ${gaps}`);
});

test('after a long pause, playing resumes at the start of the sentence with a fresh request', async () => {
  await page.evaluate(() => { window.Loa.settings.resumeAfterMs = 300; });
  await page.fill('#text', TEXT);
  await page.focus('#play');
  await page.keyboard.press('Enter');
  await page.waitForSelector('mark.loa-current');
  await page.waitForTimeout(1200);
  await page.keyboard.press('Enter');
  const marked = await page.$$eval('mark.loa-current', (ms) => ms.map((m) => m.textContent).join(''));
  await page.waitForTimeout(400);
  const fresh = page.waitForRequest((r) => r.url().includes('/v1/speech?'));
  await page.keyboard.press('Enter');
  assert.ok(new URL((await fresh).url()).searchParams.get('text').startsWith(marked), `resumes at «${marked}»`);
  await page.waitForFunction(() => document.querySelector('#players audio').currentTime > 0.2);
  await page.evaluate(() => { window.Loa.settings.resumeAfterMs = 20000; });

  // A new speed chosen while paused stays paused, and applies when playing resumes.
  await page.keyboard.press('Enter');
  await page.focus('#rate');
  const before = await page.inputValue('#rate');
  await page.keyboard.press('ArrowLeft');
  assert.notEqual(await page.inputValue('#rate'), before);
  await page.waitForTimeout(500);
  assert.equal(await page.textContent('#status'), 'Đã tạm dừng.');
  assert.ok(await page.$eval('#players audio', (a) => a.paused));
  const faster = page.waitForRequest((r) => r.url().includes('/v1/speech?'));
  await page.focus('#play');
  await page.keyboard.press('Enter');
  assert.equal(new URL((await faster).url()).searchParams.get('rate'), await page.inputValue('#rate'));
  await page.waitForFunction(() => document.querySelector('#players audio').currentTime > 0.2);
  await page.click('#stop');
});

test('200% and 400% zoom: no horizontal scrolling', async () => {
  for (const width of [640, 320]) {
    await page.setViewportSize({ width, height: 800 });
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${width} px: scrollWidth ${scroll} > ${client}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});
