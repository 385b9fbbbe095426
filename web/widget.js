/* Loa "Nghe bài viết": reads a news article aloud with Loa and highlights the sentence
 * being read. One tag on the article page, no framework:
 *   <script src="https://loa.example/widget.js" data-loa-article="article" defer></script>
 * Attributes: data-loa-article (selectors of the text, in reading order), data-loa-skip
 * (selectors left out), data-loa-server, data-loa-voice, data-loa-rate, data-loa-place.
 * The same file carries the player of Loa's own web reader (window.Loa). */
(function () {
  'use strict';

  // Left out of the text whatever the page says: our own controls, and what is never read.
  var ALWAYS_SKIP = '[data-loa-ui], script, style, noscript, template, button, select, textarea, [hidden]';
  var DEFAULT_SKIP = 'figure, figcaption, aside, .ad, .ads, .advertisement, [aria-hidden="true"], nav';
  var BLOCK = /^(ADDRESS|ARTICLE|ASIDE|BLOCKQUOTE|BR|DD|DIV|DL|DT|FIGCAPTION|FIGURE|FOOTER|H[1-6]|HEADER|HR|LI|MAIN|OL|P|PRE|SECTION|TABLE|TD|TH|TR|UL)$/;
  var settings = {
    // Text per request, in URL-encoded characters: a GET line stays under the 8 KB that common
    // proxies accept.
    pieceBudget: 6000,
    // The next piece is requested this long before the current one ends.
    prefetchMs: 4000,
    // A pause longer than this resumes at the start of the sentence with a fresh request (the
    // service drops a stream whose client stops reading).
    resumeAfterMs: 20000,
    // Only a start slower than this is announced ("loading"); otherwise the status region stays
    // quiet while audio plays, so a screen reader does not talk over Loa.
    slowStartMs: 1000
  };
  // The service's errors, for the status region.
  var ERRORS = {
    unknown_voice: 'giọng đọc này không có trên máy chủ',
    text_too_long: 'văn bản quá dài',
    body_too_large: 'văn bản quá dài',
    empty_text: 'không có gì để đọc',
    invalid_parameter: 'tốc độ hoặc giọng đọc không hợp lệ',
    busy: 'máy chủ đang bận, hãy thử lại sau ít giây',
    timeout: 'máy chủ trả lời quá chậm',
    shutting_down: 'máy chủ đang khởi động lại, hãy thử lại sau ít giây'
  };
  var MESSAGES = {
    slow: 'Đang tải âm thanh…',
    playing: '',
    paused: 'Đã tạm dừng.',
    stopped: 'Đã dừng.',
    empty: 'Không có gì để đọc.',
    ended: 'Đã đọc xong.'
  };
  var ABBREVIATIONS = /(^|\s)(TP|GS|PGS|TS|ThS|BS|KS|Q|P|Th|St|Mr|Mrs|Dr|[A-ZĐ])\.$/;

  /* ---- The text of part of a page, and where each of its characters lives. ---- */

  // Text of `roots` (in order) without what matches `skip`; blocks become lines. Every
  // character of a text node keeps its place (whitespace becomes a space), so a span of
  // `text` maps back to the page.
  function TextModel(roots, skip) {
    var self = this;
    self.text = '';
    self.pieces = [];
    self.marks = [];
    function line() {
      if (self.text && self.text.charAt(self.text.length - 1) !== '\n') self.text += '\n';
    }
    function walk(node) {
      if (node.nodeType === 3) {
        if (node.data) {
          self.pieces.push({ node: node, start: self.text.length });
          self.text += node.data.replace(/\s/g, ' ');
        }
        return;
      }
      if (node.nodeType !== 1 || node.matches(skip) || hidden(node)) return;
      var block = BLOCK.test(node.tagName);
      if (block) line();
      for (var c = node.firstChild; c; c = c.nextSibling) walk(c);
      if (block) line();
    }
    roots.forEach(function (root) {
      walk(root);
      line();
    });
    if (self.text.toWellFormed) self.text = self.text.toWellFormed();
  }

  function hidden(el) {
    var style = window.getComputedStyle(el);
    return style.display === 'none' || style.visibility === 'hidden';
  }

  // Wraps text[start, end) in <mark class="loa-current"> elements (one per text node it
  // touches) and returns them; the previous marks are removed first.
  TextModel.prototype.mark = function (start, end) {
    this.unmark();
    for (var i = 0; i < this.pieces.length; i++) {
      var p = this.pieces[i];
      var len = p.node.data.length;
      var a = Math.max(start, p.start);
      var b = Math.min(end, p.start + len);
      if (a >= b || !this.text.slice(a, b).trim()) continue;
      var node = p.node;
      if (b < p.start + len) {
        this.pieces.splice(i + 1, 0, { node: node.splitText(b - p.start), start: b });
      }
      if (a > p.start) {
        node = node.splitText(a - p.start);
        this.pieces.splice(++i, 0, { node: node, start: a });
      }
      var mark = document.createElement('mark');
      mark.className = 'loa-current';
      node.parentNode.insertBefore(mark, node);
      mark.appendChild(node);
      this.marks.push(mark);
    }
    return this.marks;
  };

  // Puts the marked text nodes back where they were (the nodes themselves are kept).
  TextModel.prototype.unmark = function () {
    this.marks.forEach(function (mark) {
      if (mark.parentNode && mark.firstChild) mark.parentNode.insertBefore(mark.firstChild, mark);
      if (mark.parentNode) mark.parentNode.removeChild(mark);
    });
    this.marks = [];
  };

  /* ---- Pieces of text small enough for one GET each. ---- */

  // URL-encoded length of text[a, b) (encodeURIComponent's, without building the string).
  function encodedLength(text, a, b) {
    var n = 0;
    for (var i = a; i < b; i++) {
      var c = text.charCodeAt(i);
      if (c < 0x80) n += /[A-Za-z0-9\-_.!~*'()]/.test(text.charAt(i)) ? 1 : 3;
      else if (c < 0x800) n += 6;
      else if (c >= 0xd800 && c < 0xdc00) n += 12;
      else if (c < 0xdc00 || c >= 0xe000) n += 9;
    }
    return n;
  }

  // Where to cut the line text[s, e) that is too long: after the last sentence end that keeps
  // the first part within budget, else at a space, else anywhere.
  function cutPoint(text, s, e) {
    var n = 0;
    var sentence = -1;
    var space = -1;
    for (var i = s; i < e; i++) {
      n += encodedLength(text, i, i + 1);
      if (n > settings.pieceBudget) break;
      if (text.charAt(i) !== ' ' || i === s) continue;
      space = i;
      var before = text.slice(s, i).replace(/["'”’)\]]+$/, '');
      var next = text.charAt(i + 1);
      if (/[.!?…]$/.test(before) && !ABBREVIATIONS.test(before) && next !== next.toLowerCase()) {
        sentence = i;
      }
    }
    if (sentence > s) return sentence + 1;
    if (space > s) return space + 1;
    return Math.max(s + 1, i);
  }

  // The pieces of `text` from offset `from`: whole lines, several short ones together, a long
  // one cut between sentences.
  function pieces(text, from) {
    var out = [];
    var line = /[^\n]+/g;
    var m;
    line.lastIndex = from;
    while ((m = line.exec(text))) {
      var s = m.index;
      var e = s + m[0].length;
      if (!m[0].trim()) continue;
      while (encodedLength(text, s, e) > settings.pieceBudget) {
        var cut = cutPoint(text, s, e);
        out.push({ start: s, end: cut, whole: false });
        s = cut;
      }
      var prev = out[out.length - 1];
      if (prev && prev.whole && encodedLength(text, prev.start, e) <= settings.pieceBudget) prev.end = e;
      else out.push({ start: s, end: e, whole: true });
    }
    return out;
  }

  // UTF-8 byte offsets into `text` (what the marks give) → UTF-16 indices (what JS uses).
  function byteIndex(text) {
    var map = [];
    var bytes = 0;
    for (var i = 0; i < text.length; i++) {
      map[bytes] = i;
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00) {
        bytes += 4;
        i++;
      } else bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    map[bytes] = text.length;
    return map;
  }

  function query(params) {
    return Object.keys(params)
      .filter(function (k) { return params[k] != null && params[k] !== ''; })
      .map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]); })
      .join('&');
  }

  // fetch, rejecting with a message for people: the service's error, or no connection.
  function request(url, init) {
    return fetch(url, init).then(
      function (r) {
        if (r.ok) return r;
        return r.json().then(
          function (j) {
            var e = j.error || {};
            throw new Error(ERRORS[e.code] || e.message || 'HTTP ' + r.status);
          },
          function () { throw new Error('máy chủ trả lời lỗi ' + r.status); }
        );
      },
      function () { throw new Error('không kết nối được với máy chủ Loa'); }
    );
  }

  function post(url, text) {
    return request(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=utf-8' },
      body: text
    });
  }

  /* ---- The player: audio piece by piece, the next one fetched before it is needed. ---- */

  // options: server (origin of Loa), params() → {voice, rate}, host (element that holds the
  // <audio> elements), onSentence(start, end) in UTF-16 offsets of the text played,
  // onState(state, message): state playing | paused | stopped | ended | error, and what the
  // status region should say ('' while audio plays).
  function Player(options) {
    this.o = options;
    this.gen = 0;
    this.cur = null;
    this.next = null;
    this.state = 'stopped';
  }

  Player.prototype.setState = function (state, detail) {
    window.clearTimeout(this.slow);
    this.state = state;
    var message = state === 'error' ? 'Lỗi: ' + detail + '.' : MESSAGES[detail || state];
    this.o.onState(state, message);
  };

  // Plays `text` from UTF-16 offset `from`.
  Player.prototype.play = function (text, from) {
    this.halt();
    this.stale = false;
    this.text = text;
    this.list = pieces(text, from || 0);
    this.i = -1;
    this.sentence = null;
    if (!this.list.length) return this.setState('stopped', 'empty');
    this.setState('playing');
    var self = this;
    var gen = this.gen;
    this.slow = window.setTimeout(function () {
      var waiting = self.state === 'playing' && self.cur && !(self.cur.audio.currentTime > 0);
      if (gen === self.gen && waiting) self.setState('playing', 'slow');
    }, settings.slowStartMs);
    this.advance();
  };

  Player.prototype.load = function (i) {
    var self = this;
    var piece = this.list[i];
    var text = this.text.slice(piece.start, piece.end);
    var q = query(this.o.params());
    var audio = document.createElement('audio');
    audio.preload = 'auto';
    audio.src = this.o.server + '/v1/speech?' + q + '&text=' + encodeURIComponent(text);
    this.o.host.appendChild(audio);
    var item = { index: i, audio: audio, marks: null, last: 0, error: null };
    // The marks cost a synthesis of the whole piece: asked for once the audio has started to
    // arrive, so they do not delay it.
    var asked = new Promise(function (resolve) {
      audio.addEventListener('loadedmetadata', resolve);
      audio.addEventListener('error', resolve);
      window.setTimeout(resolve, 300);
    });
    item.ready = asked
      .then(function () {
        if (item.dropped) throw new Error('stopped');
        return post(self.o.server + '/v1/speech/marks?' + q, text);
      })
      .then(function (r) { return r.json(); })
      .then(function (list) {
        var map = byteIndex(text);
        item.marks = list
          .filter(function (m) { return m.type === 'sentence'; })
          .map(function (m) {
            return { time: m.time, start: piece.start + map[m.start], end: piece.start + map[m.end] };
          });
        item.last = list.length ? list[list.length - 1].time : 0;
      })
      .catch(function (e) { item.error = e; });
    return item;
  };

  Player.prototype.advance = function () {
    var self = this;
    var i = ++this.i;
    if (this.cur) this.drop(this.cur);
    this.cur = null;
    if (i >= this.list.length) {
      this.halt();
      return this.setState('ended');
    }
    var item = this.next && this.next.index === i ? this.next : this.load(i);
    this.next = null;
    this.cur = item;
    var gen = this.gen;
    var audio = item.audio;
    audio.onended = function () { if (gen === self.gen) self.advance(); };
    audio.onerror = function () { if (gen === self.gen) self.fail(item); };
    audio.onplaying = function () {
      if (gen !== self.gen) return;
      if (self.state !== 'playing' || i === 0) self.setState('playing');
      self.tick();
    };
    audio.ontimeupdate = function () { if (gen === self.gen) self.tick(); };
    if (this.state === 'paused') return;
    var started = audio.play();
    if (started && started.catch) {
      started.catch(function (e) {
        if (gen === self.gen && e.name !== 'AbortError') self.fail(item);
      });
    }
  };

  // Follows the audio: the sentence being heard, and the next piece when this one nears its end.
  Player.prototype.tick = function () {
    var self = this;
    var item = this.cur;
    if (!item) return;
    var t = item.audio.currentTime * 1000;
    var now = null;
    (item.marks || []).forEach(function (m) { if (m.time <= t) now = m; });
    if (now && now !== this.sentence) {
      this.sentence = now;
      this.o.onSentence(now.start, now.end);
    }
    var more = this.i + 1 < this.list.length;
    if (more && !this.next && (item.error || (item.marks && t >= item.last - settings.prefetchMs))) {
      this.next = this.load(this.i + 1);
    }
    if (!item.audio.paused && !this.frame) {
      this.frame = window.requestAnimationFrame(function () {
        self.frame = 0;
        self.tick();
      });
    }
  };

  Player.prototype.pause = function () {
    if (this.state !== 'playing') return;
    if (this.cur) this.cur.audio.pause();
    this.pausedAt = Date.now();
    this.setState('paused');
  };

  Player.prototype.resume = function () {
    if (this.state !== 'paused' || !this.cur) return;
    if (this.stale || Date.now() - this.pausedAt > settings.resumeAfterMs) return this.restart(true);
    this.setState('playing');
    this.cur.audio.play();
  };

  // Starts again at the sentence being read (after a change of voice or speed); while paused,
  // when playing resumes (or now, if `now`).
  Player.prototype.restart = function (now) {
    if (this.state === 'paused' && !now) {
      this.stale = true;
      return;
    }
    if (this.state !== 'playing' && this.state !== 'paused') return;
    var at = this.sentence ? this.sentence.start : this.list[Math.max(this.i, 0)].start;
    this.play(this.text, at);
  };

  // restart(), once the listener has stopped changing the speed (an arrow key held down on the
  // speed control would otherwise start a request per step).
  Player.prototype.restartSoon = function () {
    var self = this;
    window.clearTimeout(this.pending);
    this.pending = window.setTimeout(function () { self.restart(); }, 300);
  };

  Player.prototype.stop = function () {
    this.halt();
    this.setState('stopped');
  };

  // Ends all audio and requests; no state change.
  Player.prototype.halt = function () {
    this.gen++;
    window.clearTimeout(this.pending);
    if (this.cur) this.drop(this.cur);
    if (this.next) this.drop(this.next);
    this.cur = this.next = null;
  };

  Player.prototype.drop = function (item) {
    var audio = item.audio;
    item.dropped = true;
    audio.onended = audio.onerror = audio.onplaying = audio.ontimeupdate = null;
    audio.pause();
    audio.removeAttribute('src');
    audio.load();
    if (audio.parentNode) audio.parentNode.removeChild(audio);
  };

  Player.prototype.fail = function (item) {
    var self = this;
    var gen = this.gen;
    item.ready.then(function () {
      if (gen !== self.gen) return;
      self.halt();
      self.setState('error', item.error ? item.error.message : 'không phát được âm thanh');
    });
  };

  // Renders `text` as one WAV file and saves it as `name`.
  function download(server, params, text, name) {
    params.download = 1;
    return post(server + '/v1/speech?' + query(params), text)
      .then(function (r) { return r.blob(); })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = document.createElement('a');
        a.href = url;
        a.download = name;
        a.hidden = true;
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        return blob;
      });
  }

  // Brings the first mark into view if the previous one was in view (the reader is following).
  function follow(marks, before) {
    var el = marks[0];
    if (!el || !el.scrollIntoView) return;
    var was = before ? before.getBoundingClientRect() : null;
    var r = el.getBoundingClientRect();
    var seen = !was || (was.bottom > 0 && was.top < window.innerHeight);
    if (seen && (r.top < 0 || r.bottom > window.innerHeight)) el.scrollIntoView({ block: 'center' });
  }

  // Media playback's first start in a browser is slow (decoder and audio output set up, 100 ms
  // and more in Chromium); playing a tenth of a second of silence at volume 0 once, when the
  // user comes near the play control, does that work before the press (where playback is not
  // allowed yet, the silence is only loaded, which sets up the decoder).
  var warmed = false;
  function warm() {
    if (warmed) return;
    warmed = true;
    var samples = 1600;
    var header = new DataView(new ArrayBuffer(44));
    var words = [[0, 'RIFF'], [8, 'WAVE'], [12, 'fmt '], [36, 'data']];
    words.forEach(function (w) {
      for (var k = 0; k < 4; k++) header.setUint8(w[0] + k, w[1].charCodeAt(k));
    });
    [[4, 36 + samples * 2, 4], [16, 16, 4], [20, 1, 2], [22, 1, 2], [24, 16000, 4], [28, 32000, 4],
      [32, 2, 2], [34, 16, 2], [40, samples * 2, 4]].forEach(function (f) {
      if (f[2] === 4) header.setUint32(f[0], f[1], true);
      else header.setUint16(f[0], f[1], true);
    });
    try {
      var url = URL.createObjectURL(new Blob([header, new ArrayBuffer(samples * 2)], { type: 'audio/wav' }));
      var audio = new Audio();
      audio.preload = 'auto';
      audio.onended = audio.onerror = function () { URL.revokeObjectURL(url); };
      audio.volume = 0;
      audio.src = url;
      var p = audio.play();
      if (p && p.catch) p.catch(function () { /* no user activation yet: loaded only */ });
    } catch (e) { /* a page that forbids blob: media: the first start is just slower */ }
  }

  // Calls warm() on the first approach to `el`: hover, focus, touch.
  function warmOn(el) {
    ['pointerenter', 'focus', 'touchstart'].forEach(function (type) {
      el.addEventListener(type, warm, { once: true, passive: true });
    });
  }

  var Loa = { settings: settings, TextModel: TextModel, Player: Player, pieces: pieces, download: download, follow: follow, warmOn: warmOn };

  /* ---- The widget. ---- */

  var RATES = ['0.75', '1', '1.25', '1.5', '2', '2.5', '3', '3.5', '4'];
  var CSS =
    '.loa-widget{display:flex;flex-wrap:wrap;align-items:center;gap:.5em;margin:.75em 0;font:inherit}' +
    '.loa-widget button,.loa-widget select{font:inherit;min-height:2.75em;padding:.3em .9em;border:2px solid #0b5394;' +
    'border-radius:.4em;background:#fff;color:#0b5394;cursor:pointer}' +
    '.loa-widget .loa-play{background:#0b5394;color:#fff}' +
    '.loa-widget button:focus-visible,.loa-widget select:focus-visible{outline:3px solid #e07b00;outline-offset:2px}' +
    '.loa-widget label{display:inline-flex;align-items:center;gap:.3em}' +
    '.loa-widget [role=status]{flex-basis:100%;min-height:1.2em}' +
    'mark.loa-current{background:#ffe066;color:inherit}' +
    '@media (forced-colors:active){mark.loa-current{background:Mark;color:MarkText}}';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function stored(key, fallback) {
    try {
      return window.localStorage.getItem(key) || fallback;
    } catch (e) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) { /* private mode: not remembered */ }
  }

  function widget(script) {
    var data = script.dataset;
    var found;
    try {
      found = Array.prototype.slice.call(document.querySelectorAll(data.loaArticle));
    } catch (e) {
      return console.warn('Loa: data-loa-article is not a valid selector: ' + data.loaArticle);
    }
    var roots = found.filter(function (r) {
      return !found.some(function (o) { return o !== r && o.contains(r); });
    });
    if (!roots.length) return console.warn('Loa: nothing matches ' + data.loaArticle);
    var skip = ALWAYS_SKIP + ', ' + (data.loaSkip || DEFAULT_SKIP);
    try {
      document.querySelector(skip);
    } catch (e) {
      console.warn('Loa: data-loa-skip is not a valid selector; the default is used');
      skip = ALWAYS_SKIP + ', ' + DEFAULT_SKIP;
    }
    var server = (data.loaServer || new URL(script.src, location.href).origin).replace(/\/+$/, '');

    document.head.appendChild(el('style', { 'data-loa-ui': '' }, CSS));
    document.head.appendChild(el('link', { rel: 'preconnect', href: server }));
    var box = el('div', { class: 'loa-widget', 'data-loa-ui': '' });
    var play = el('button', { type: 'button', class: 'loa-play' });
    var rate = el('select', { class: 'loa-rate' });
    var rateLabel = el('label', {}, 'Tốc độ ');
    var stop = el('button', { type: 'button', class: 'loa-stop', hidden: '' }, 'Dừng');
    var save = el('button', { type: 'button', class: 'loa-download' }, 'Tải âm thanh');
    var status = el('div', { role: 'status', 'aria-live': 'polite', class: 'loa-status' });
    var initial = stored('loa-rate', data.loaRate || '1');
    RATES.forEach(function (r) {
      var o = el('option', { value: r }, r.replace('.', ',') + '×');
      if (r === initial) o.selected = true;
      rate.appendChild(o);
    });
    rateLabel.appendChild(rate);
    [play, rateLabel, stop, save, status].forEach(function (c) { box.appendChild(c); });
    var place = data.loaPlace && document.querySelector(data.loaPlace);
    if (place) place.parentNode.insertBefore(box, place.nextSibling);
    else roots[0].parentNode.insertBefore(box, roots[0]);

    var model = null;
    var params = function () { return { voice: data.loaVoice, rate: rate.value }; };
    var player = new Player({
      server: server,
      params: params,
      host: box,
      onSentence: function (start, end) {
        var before = model.marks[0];
        follow(model.mark(start, end), before);
      },
      onState: function (state, message) {
        var active = state === 'playing' || state === 'paused';
        label(state);
        stop.hidden = !active;
        if (!active && model) model.unmark();
        status.textContent = message;
      }
    });
    function label(state) {
      var icon = el('span', { 'aria-hidden': 'true' }, state === 'playing' ? '❚❚ ' : '▶ ');
      play.textContent = state === 'playing' ? 'Tạm dừng' : state === 'paused' ? 'Nghe tiếp' : 'Nghe bài viết';
      play.insertBefore(icon, play.firstChild);
    }
    label('stopped');
    warmOn(play);
    play.addEventListener('click', function () {
      if (player.state === 'playing') return player.pause();
      if (player.state === 'paused') return player.resume();
      if (model) model.unmark();
      model = new TextModel(roots, skip);
      player.play(model.text, 0);
    });
    stop.addEventListener('click', function () {
      player.stop();
      play.focus();
    });
    rate.addEventListener('change', function () {
      store('loa-rate', rate.value);
      player.restartSoon();
    });
    save.addEventListener('click', function () {
      var text = new TextModel(roots, skip).text;
      status.textContent = 'Đang chuẩn bị tệp âm thanh…';
      download(server, params(), text, 'bai-viet.wav').then(
        function () { status.textContent = 'Đã tải tệp âm thanh.'; },
        function (e) { status.textContent = 'Lỗi: ' + e.message + '.'; }
      );
    });
    Loa.widgetPlayer = player;
  }

  window.Loa = window.Loa || Loa;
  var script = document.currentScript;
  if (script && script.dataset.loaArticle) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { widget(script); });
    } else widget(script);
  }
})();
