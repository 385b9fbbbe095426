/* Loa's web reader (the page at /): paste a text, choose voice and speed, listen with the
 * sentence being read highlighted, download the audio. The player is the widget's (window.Loa). */
(function () {
  'use strict';
  var Loa = window.Loa;
  function $(id) { return document.getElementById(id); }
  var text = $('text');
  var voice = $('voice');
  var rate = $('rate');
  var rateValue = $('rate-value');
  var play = $('play');
  var stop = $('stop');
  var save = $('download');
  var status = $('status');
  var view = $('follow');

  var model = null;
  var source = null;

  function say(message) { status.textContent = message; }

  function params() { return { voice: voice.value, rate: rate.value }; }

  function label(state) {
    var icon = document.createElement('span');
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = state === 'playing' ? '❚❚ ' : '▶ ';
    play.textContent = state === 'playing' ? 'Tạm dừng' : state === 'paused' ? 'Nghe tiếp' : 'Nghe';
    play.insertBefore(icon, play.firstChild);
  }

  var player = new Loa.Player({
    server: '',
    params: params,
    host: $('players'),
    onSentence: function (start, end) {
      var before = model.marks[0];
      Loa.follow(model.mark(start, end), before);
    },
    onState: function (state, message) {
      label(state);
      if (state !== 'playing' && state !== 'paused' && model) model.unmark();
      say(message);
    }
  });

  // The text as paragraphs in the follow-along view, which the player then reads.
  function start() {
    var value = text.value;
    if (!value.trim()) {
      say('Hãy dán hoặc gõ văn bản vào ô “Văn bản cần đọc” trước.');
      text.focus();
      return;
    }
    view.textContent = '';
    value.split('\n').forEach(function (line) {
      if (!line.trim()) return;
      var p = document.createElement('p');
      p.textContent = line;
      view.appendChild(p);
    });
    model = new Loa.TextModel([view], '[data-loa-ui]');
    source = value;
    player.play(model.text, 0);
  }

  play.addEventListener('click', function () {
    if (player.state === 'playing') return player.pause();
    if (player.state === 'paused' && text.value === source) return player.resume();
    start();
  });

  stop.addEventListener('click', function () { player.stop(); });

  function showRate() {
    var shown = String(Number(rate.value)).replace('.', ',');
    rateValue.textContent = shown + '×';
    rate.setAttribute('aria-valuetext', shown + ' lần');
  }
  rate.addEventListener('input', showRate);
  rate.addEventListener('change', function () { player.restartSoon(); });
  voice.addEventListener('change', function () { player.restartSoon(); });

  save.addEventListener('click', function () {
    if (!text.value.trim()) {
      say('Hãy dán hoặc gõ văn bản vào ô “Văn bản cần đọc” trước.');
      return;
    }
    say('Đang tạo tệp âm thanh…');
    Loa.download('', params(), text.value, 'loa.wav').then(
      function (blob) { say('Đã tải tệp âm thanh (' + Math.round(blob.size / 1024) + ' KB).'); },
      function (e) { say('Lỗi: ' + e.message + '.'); }
    );
  });

  // The installed voices; the page works with "default" if this fails.
  fetch('/v1/voices')
    .then(function (r) { return r.json(); })
    .then(function (list) {
      voice.textContent = '';
      list.voices.forEach(function (v) {
        var o = document.createElement('option');
        o.value = v.id;
        o.textContent = v.name + (v.id === list['default'] ? ' (mặc định)' : '');
        if (v.id === list['default']) o.selected = true;
        voice.appendChild(o);
      });
    })
    .catch(function () { /* keep "default" */ });

  $('embed').textContent =
    '<script src="' + location.origin + '/widget.js" data-loa-article="article" defer></script>';
  [text, play].forEach(Loa.warmOn);
  showRate();
  label('stopped');
})();
