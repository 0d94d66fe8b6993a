/* The journal entry form: live debit/credit totals and the difference, adding and removing lines. */
(function () {
  "use strict";

  var form = document.querySelector("[data-entry-form]");
  if (!form) {
    return;
  }
  var body = document.getElementById("entry-lines-body");
  var template = document.getElementById("entry-line-template");
  var totalForms = form.querySelector("input[name='lines-TOTAL_FORMS']");
  var language = document.documentElement.lang || undefined;
  var formatter = new Intl.NumberFormat(language, {minimumFractionDigits: 2, maximumFractionDigits: 2});

  // An amount as a whole number of cents: exact sums, no floating-point drift. Empty or bad input counts 0.
  function cents(text) {
    var value = String(text || "").replace(/[,\s]/g, "");
    var match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value);
    if (!match || (match[2] === "" && !match[3])) {
      return 0;
    }
    var fraction = ((match[3] || "") + "00").slice(0, 2);
    var whole = parseInt(match[2] || "0", 10) * 100 + parseInt(fraction, 10);
    return match[1] === "-" ? -whole : whole;
  }

  function show(amountInCents) {
    return formatter.format(amountInCents / 100);
  }

  function sum(kind) {
    var total = 0;
    form.querySelectorAll("#entry-lines-body input[data-amount='" + kind + "']").forEach(function (input) {
      total += cents(input.value);
    });
    return total;
  }

  function update() {
    var debit = sum("debit");
    var credit = sum("credit");
    var difference = debit - credit;
    document.getElementById("total-debit").textContent = show(debit);
    document.getElementById("total-credit").textContent = show(credit);
    var differenceCell = document.getElementById("total-difference");
    var state = document.getElementById("balance-state");
    differenceCell.textContent = show(difference);
    var balanced = difference === 0;
    [differenceCell, state].forEach(function (element) {
      element.classList.toggle("text-danger", !balanced);
      element.classList.toggle("text-success", balanced);
    });
    state.textContent = balanced ? state.dataset.balanced : state.dataset.unbalanced;
  }

  function addLine() {
    var index = parseInt(totalForms.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    var row = body.lastElementChild;
    var first = row && row.querySelector("select, input");
    if (first) {
      first.focus();
    }
  }

  function removeLine(row) {
    // The server skips a line with nothing filled in, so a removed line is emptied and hidden
    // (the form indexes stay continuous).
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      field.value = "";
    });
    row.hidden = true;
    row.classList.add("d-none");
    update();
  }

  form.addEventListener("input", function (event) {
    if (event.target.matches("input[data-amount]")) {
      update();
    }
  });
  form.addEventListener("click", function (event) {
    if (event.target.closest("[data-add-line]")) {
      event.preventDefault();
      addLine();
      return;
    }
    var remove = event.target.closest("[data-remove-line]");
    if (remove) {
      event.preventDefault();
      removeLine(remove.closest("tr"));
    }
  });
  update();
})();
