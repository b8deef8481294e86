// While a question's title is typed, list the articles and solved topics that
// may already answer it. Without script the page shows the answers for a
// prefilled title and a link to the search page.
(function () {
  "use strict";
  var box = document.querySelector("[data-suggest-for]");
  if (!box || !window.fetch) return;
  var input = document.getElementById(box.getAttribute("data-suggest-for"));
  var list = box.querySelector("ul");
  var labels = document.getElementById("ask-suggestion-labels");
  if (!input || !list || !labels) return;
  var timer = null;
  var last = "";
  function show(results) {
    list.textContent = "";
    results.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      var kind = document.createElement("span");
      kind.className = "meta";
      kind.textContent = hit.kind === "article" ? labels.dataset.article : labels.dataset.topic;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(kind);
      list.appendChild(item);
    });
    box.hidden = results.length === 0;
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 3 || q === last) return;
      last = q;
      var url = box.dataset.searchUrl + "?limit=10&q=" + encodeURIComponent(q) +
        "&lang=" + encodeURIComponent(box.dataset.lang || "");
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          show(data.results.filter(function (hit) {
            return hit.kind === "article" || hit.solved;
          }).slice(0, 5));
        })
        .catch(function () { /* suggestions are optional */ });
    }, 300);
  });
})();
