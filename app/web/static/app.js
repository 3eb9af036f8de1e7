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
})();
