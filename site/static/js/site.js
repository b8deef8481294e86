// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var form = select.form;
    var button = form && form.querySelector("button[type=submit]");
    if (button) { button.classList.add("visually-hidden"); }
    select.addEventListener("change", function () { form.submit(); });
  });
  // The header menu folds on phones only: on wide screens it is a row of links.
  var wide = window.matchMedia("(min-width: 48rem)");
  var menus = document.querySelectorAll("details[data-open-wide]");
  function unfold() { menus.forEach(function (menu) { menu.open = wide.matches; }); }
  unfold();
  wide.addEventListener("change", unfold);
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(target.value || target.textContent).then(function () {
        button.setAttribute("data-copied", "true");
      });
    });
  });
})();
