// Print pages (a handout, the tracking sheet, the clinics' print-all page): a Print button for
// phones, where there is no Ctrl+P. The button is hidden in the page's HTML and shown only here,
// so a browser without JavaScript shows the written instructions alone.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
