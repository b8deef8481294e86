// Ticket form: suggest answers while the subject is typed (deflection).
// Progressive enhancement: without JavaScript the form works and the server
// shows suggestions for a prefilled subject.
(function () {
  "use strict";
  var form = document.getElementById("ticket-form");
  var box = document.getElementById("ticket-suggestions");
  if (!form || !box || !window.fetch) { return; }
  var subject = form.querySelector("input[name=subject]");
  if (!subject) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var contextInput = form.querySelector("input[name=context]");
  var ds = form.dataset;
  var timer = null;
  var lastQuery = null;
  var controller = null;

  function hidden(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value || "";
    return input;
  }

  function solvedForm(item, query) {
    var f = document.createElement("form");
    f.method = "post";
    f.action = ds.deflectUrl;
    f.className = "inline-form suggestion-solved";
    f.hidden = true;
    f.appendChild(hidden("csrfmiddlewaretoken", csrf ? csrf.value : ""));
    f.appendChild(hidden("url", item.url));
    f.appendChild(hidden("title", item.title));
    f.appendChild(hidden("kind", item.kind));
    f.appendChild(hidden("subject", query));
    f.appendChild(hidden("context", contextInput ? contextInput.value : ""));
    var p = document.createElement("p");
    p.textContent = ds.labelAsk + " ";
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "button-secondary button-small";
    button.textContent = ds.labelSolved;
    p.appendChild(button);
    f.appendChild(p);
    return f;
  }

  function render(results, query) {
    box.textContent = "";
    var heading = document.createElement("h2");
    heading.id = "ticket-suggestions-title";
    if (!results.length) {
      heading.className = "visually-hidden";
      heading.textContent = ds.labelHeading;
      box.appendChild(heading);
      return;
    }
    heading.textContent = ds.labelHeading;
    box.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "suggestion-list";
    results.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "card";
      var link = document.createElement("a");
      link.href = item.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = item.title + " ";
      var note = document.createElement("span");
      note.className = "visually-hidden";
      note.textContent = ds.labelOpens;
      link.appendChild(note);
      li.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + (item.kind === "topic" ? ds.labelTopic : ds.labelArticle);
      li.appendChild(meta);
      if (item.summary) {
        var summary = document.createElement("p");
        summary.textContent = item.summary;
        li.appendChild(summary);
      }
      var solved = solvedForm(item, query);
      li.appendChild(solved);
      // Ask "did it help?" once the suggestion has actually been opened.
      link.addEventListener("click", function () { solved.hidden = false; });
      link.addEventListener("auxclick", function () { solved.hidden = false; });
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function lookup() {
    var query = subject.value.trim();
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (query.length < 3) { render([], query); return; }
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var joiner = ds.suggestUrl.indexOf("?") === -1 ? "?" : "&";
    fetch(ds.suggestUrl + joiner + "q=" + encodeURIComponent(query), {
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.json() : { results: [] };
    }).then(function (data) {
      render(data.results || [], query);
    }).catch(function () { /* suggestions are optional */ });
  }

  subject.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 350);
  });
  if (subject.value.trim().length >= 3 && !box.querySelector("li")) { lookup(); }
})();
