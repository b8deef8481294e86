// Incident banners: "hide" is remembered per incident in this browser only.
(function () {
  "use strict";
  var KEY = "entraide-status-dismissed";
  var dismissed = [];
  try { dismissed = JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { dismissed = []; }
  if (!Array.isArray(dismissed)) { dismissed = []; }
  document.querySelectorAll("[data-status-incident]").forEach(function (banner) {
    var id = banner.getAttribute("data-status-incident");
    if (dismissed.indexOf(id) !== -1) { banner.hidden = true; return; }
    var button = banner.querySelector("[data-status-dismiss]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      banner.hidden = true;
      dismissed.push(id);
      // Keep the list short: incident ids only grow.
      try { localStorage.setItem(KEY, JSON.stringify(dismissed.slice(-50))); } catch (e) { /* private mode */ }
    });
  });
})();
