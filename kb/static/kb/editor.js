// Live preview of the Markdown editor: the server renders and sanitizes with
// the same policy as on save, so the preview shows exactly what will be kept.
(function () {
  "use strict";
  var textarea = document.querySelector("textarea[data-kb-editor]");
  var section = document.querySelector(".kb-preview");
  if (!textarea || !section || !window.fetch) { return; }
  var target = document.getElementById("kb-preview-body");
  var form = textarea.form;
  var tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  var last = null;
  section.hidden = false;

  function render() {
    var text = textarea.value;
    if (text === last) { return; }
    last = text;
    var body = new FormData();
    body.append("text", text);
    fetch(section.getAttribute("data-preview-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" }
    }).then(function (response) {
      return response.ok || response.status === 429 ? response.json() : null;
    }).then(function (data) {
      // The HTML comes from config.sanitize (bleach allow-list).
      if (data && typeof data.html === "string") { target.innerHTML = data.html; }
      // Too many previews: say so; the textarea is never touched.
      if (data && typeof data.error === "string") {
        last = null;
        target.textContent = data.error;
      }
    }).catch(function () { /* the preview is a comfort; saving still works */ });
  }

  textarea.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(render, 500);
  });
  render();
})();
