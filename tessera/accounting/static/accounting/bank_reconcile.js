/* The reconciliation screen: the manual match panel adds up the ticked ledger lines and says what is
   still to find; its button is enabled once they make the statement line's amount. Cards are swapped
   in by htmx, so the listeners are on the document. */
(function () {
  "use strict";

  function cents(text) {
    var value = parseFloat(String(text || "0").replace(/,/g, ""));
    return isNaN(value) ? 0 : Math.round(value * 100);
  }

  function money(value) {
    var sign = value < 0 ? "-" : "";
    var units = Math.abs(value);
    var whole = Math.floor(units / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var fraction = ("0" + (units % 100)).slice(-2);
    return sign + whole + "." + fraction;
  }

  function refresh(panel) {
    var total = 0;
    panel.querySelectorAll("[data-match-amount]").forEach(function (box) {
      if (box.checked) {
        total += cents(box.dataset.matchAmount);
      }
    });
    var left = cents(panel.dataset.target) - total;
    var totalCell = panel.querySelector("[data-match-total]");
    var leftCell = panel.querySelector("[data-match-difference]");
    var submit = panel.querySelector("[data-match-submit]");
    if (totalCell) { totalCell.textContent = money(total); }
    if (leftCell) {
      leftCell.textContent = money(left);
      leftCell.classList.toggle("text-success", left === 0);
      leftCell.classList.toggle("text-danger", left !== 0);
    }
    if (submit) { submit.disabled = left !== 0 || total === 0; }
  }

  document.addEventListener("change", function (event) {
    var panel = event.target.closest("[data-match-panel]");
    if (panel && event.target.matches("[data-match-amount]")) {
      refresh(panel);
    }
  });

  function refreshAll(root) {
    (root || document).querySelectorAll("[data-match-panel]").forEach(refresh);
  }

  document.addEventListener("DOMContentLoaded", function () { refreshAll(document); });
  document.addEventListener("htmx:afterSwap", function () { refreshAll(document); });
})();
