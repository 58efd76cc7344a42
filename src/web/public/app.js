// Progressive enhancement for the copy buttons: 复制引用 (button.copy[data-copy]: the citation) and
// 复制条款及出处 (button.copy-clause[data-clause][data-citation]: the clause text, a newline, its
// citation). Without JavaScript the buttons stay hidden and the texts are plain selectable text.
(function () {
  'use strict';

  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'copy-buffer';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return fallbackCopy(text); }
      );
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function feedback(button, ok) {
    var label = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', label);
    button.textContent = ok ? '已复制' : '复制失败，请手动选择';
    button.classList.toggle('copied', ok);
    window.clearTimeout(Number(button.getAttribute('data-timer')) || 0);
    var timer = window.setTimeout(function () {
      button.textContent = label;
      button.classList.remove('copied');
    }, 2000);
    button.setAttribute('data-timer', String(timer));
  }

  function enable(selector, textOf) {
    var buttons = document.querySelectorAll(selector);
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      button.hidden = false;
      button.addEventListener('click', function (event) {
        var b = event.currentTarget;
        copyText(textOf(b)).then(function (ok) { feedback(b, ok); });
      });
    }
  }

  function init() {
    enable('button.copy[data-copy]', function (b) { return b.getAttribute('data-copy') || ''; });
    enable('button.copy-clause[data-clause][data-citation]', function (b) {
      return (b.getAttribute('data-clause') || '') + '\n' + (b.getAttribute('data-citation') || '');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
