// 复制条款及出处: copies a clause's text followed by its citation (newline between), on the
// similar-clauses and comparison pages. Without JavaScript the buttons stay hidden and both texts
// are plain selectable text on the page.
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

  function init() {
    var buttons = document.querySelectorAll('button.copy-clause[data-clause][data-citation]');
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      button.hidden = false;
      button.addEventListener('click', function (event) {
        var b = event.currentTarget;
        var text = (b.getAttribute('data-clause') || '') + '\n' + (b.getAttribute('data-citation') || '');
        copyText(text).then(function (ok) { feedback(b, ok); });
      });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
