/* Tessera's own script: small behaviours the templates declare with data- attributes (no inline JS). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    // A new inline line that is cancelled never existed on the server: just drop its row.
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      event.preventDefault();
      remove.closest("tr").remove();
    }
  });
  document.addEventListener("submit", function (event) {
    // Forms marked data-confirm ask first (deleting, revoking).
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    // A select or checkbox marked data-autosubmit submits its form at once (language, filters).
    var element = event.target.closest("[data-autosubmit]");
    if (element && element.form) {
      element.form.requestSubmit();
    }
  });
})();
