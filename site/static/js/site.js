// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // The header menu folds on phones only: on wide screens it is a row of links.
  var wide = window.matchMedia("(min-width: 48rem)");
  var menus = document.querySelectorAll("details[data-open-wide]");
  function unfold() { menus.forEach(function (menu) { menu.open = wide.matches; }); }
  unfold();
  wide.addEventListener("change", unfold);
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    function say(text) {
      if (status && text) { status.textContent = text; }
    }
    function copied() {
      button.setAttribute("data-copied", "true");
      say(button.getAttribute("data-copied-text"));
    }
    function fallback(target) {
      // Without the Clipboard API (plain http): select the text and copy it.
      target.focus();
      if (target.select) { target.select(); }
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      if (ok) { copied(); } else { say(button.getAttribute("data-copy-failed-text")); }
    }
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) { return; }
      if (status) { status.textContent = ""; }
      if (!navigator.clipboard) { fallback(target); return; }
      navigator.clipboard.writeText(target.value || target.textContent)
        .then(copied, function () { fallback(target); });
    });
  });
})();
