// The article editor (admin only): the reader-style preview of title, summary, main message
// and key points follows the form, and leaving with unsaved changes asks first.
// No inline script: the CSP allows only scripts from our own origin.
(function () {
  "use strict";
  var form = document.querySelector("form[data-unsaved-warning]");
  if (!form) return;
  var dirty = false;

  function field(name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function show(name) {
    var input = field(name);
    var target = form.querySelector('[data-preview="' + name + '"]');
    if (!input || !target) return;
    var value = input.value.trim();
    if (name === "key_points") {
      target.textContent = "";
      value.split(/\r?\n/).forEach(function (line) {
        if (line.trim()) {
          var item = document.createElement("li");
          item.textContent = line.trim();
          target.appendChild(item);
        }
      });
      target.closest("section").hidden = !value;
    } else {
      target.textContent = value;
      if (name === "main_message") target.closest("p").hidden = !value;
    }
  }

  ["title", "summary", "main_message", "key_points"].forEach(function (name) {
    var input = field(name);
    if (input) input.addEventListener("input", function () { show(name); });
  });

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers show their own wording
  });
})();
