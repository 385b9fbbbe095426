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
  const firstAudio = await page.evaluate(() => {
    const played = window.__loa.playing[0].t;
    const pressed = window.__loa.input.filter((e) => e.t <= played).pop().t;
    return played - pressed;
  });
  console.log(`reader: time to first audio ${firstAudio.toFixed(1)} ms (keydown → playing)`);
  assert.ok(firstAudio < 1000, `first audio after ${firstAudio} ms`);
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
  assert.equal(await page.textContent('#status'), 'Đang đọc.');
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
  const again = await page.evaluate((n) => {
    const played = window.__loa.playing[n].t;
    return played - window.__loa.input.filter((e) => e.t <= played).pop().t;
  }, before);
  console.log(`reader: time to first audio, second play on the page ${again.toFixed(1)} ms`);
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
  assert.match(await page.textContent('#status'), /khong-co/);
  await page.selectOption('#voice', 'northern');
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
