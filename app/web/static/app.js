// DVC Gateway's one script: progressive enhancement only. Every page works without it.
// Pages add small behaviours here, keyed by data attributes, never by inline scripts
// (the pages' Content-Security-Policy allows scripts from this file alone).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The tracking form: a code pasted with spaces or in lower case is shown as it will be
  // looked up (the server forgives both anyway).
  var code = document.querySelector("form.track input[name=code]");
  if (code) {
    code.addEventListener("change", function () {
      code.value = code.value.trim().toUpperCase();
    });
  }
  // The dashboard (/thong-ke): every data-poll seconds (while the page is visible), ask
  // each figure's JSON with the ETag it was drawn from: an unchanged period is a 304 and
  // costs nothing. When one changed, fetch this page again and put its figures in place.
  var board = document.querySelector("[data-dashboard]");
  if (board && window.fetch && window.DOMParser) {
    var every = Math.max(parseInt(board.getAttribute("data-poll"), 10) || 60, 30) * 1000;
    var said = document.querySelector("[data-refreshed]");
    var changed = function (figure) {
      var tag = figure.getAttribute("data-etag");
      var headers = tag ? { "If-None-Match": tag } : {};
      return fetch(figure.getAttribute("data-source"), { headers: headers, cache: "no-store" })
        .then(function (answer) { return answer.status === 200 && answer.headers.get("ETag") !== tag; })
        .catch(function () { return false; });
    };
    var redraw = function () {
      return fetch(location.href, { cache: "no-store" })
        .then(function (answer) { return answer.ok ? answer.text() : ""; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-dashboard]");
          if (!fresh) { return; }
          var node = document.importNode(fresh, true);
          board.parentNode.replaceChild(node, board);
          board = node;
          if (said) { said.textContent = said.getAttribute("data-refreshed"); }
        });
    };
    var poll = function () {
      if (document.hidden) { window.setTimeout(poll, every); return; }
      var figures = Array.prototype.slice.call(board.querySelectorAll("[data-source]"));
      Promise.all(figures.map(changed))
        .then(function (answers) { return answers.indexOf(true) >= 0 ? redraw() : null; })
        .catch(function () { return null; })
        .then(function () { window.setTimeout(poll, every); });
    };
    window.setTimeout(poll, every);
  }
})();
