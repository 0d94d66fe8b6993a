/* The invoice and payment forms.
 * Invoice: add and remove lines; each line's subtotal and the document's untaxed amount, tax per tax and
 * total, estimated while typing (rounded per line; the server computes the stored figures on save).
 * Payment: the allocated total and the unallocated remainder, and "allocate automatically, oldest first". */
(function () {
  "use strict";

  var language = document.documentElement.lang || undefined;
  var formatter = new Intl.NumberFormat(language, {minimumFractionDigits: 2, maximumFractionDigits: 2});

  // A typed number ("1,234.5") as a number; empty or bad input gives `fallback`.
  function number(text, fallback) {
    var value = String(text === undefined || text === null ? "" : text).replace(/[,\s]/g, "");
    if (value === "" || isNaN(Number(value))) {
      return fallback;
    }
    return Number(value);
  }

  function round(value) {
    return Math.round((value + (value >= 0 ? 1e-9 : -1e-9)) * 100) / 100;
  }

  function show(value) {
    return formatter.format(round(value));
  }

  // --- Invoice ------------------------------------------------------------------------------
  var invoiceForm = document.querySelector("[data-invoice-form]");
  if (invoiceForm) {
    var body = document.getElementById("invoice-lines-body");
    var template = document.getElementById("invoice-line-template");
    var totalForms = invoiceForm.querySelector("input[name='lines-TOTAL_FORMS']");
    var ratesElement = document.getElementById("tax-rates");
    var rates = ratesElement ? JSON.parse(ratesElement.textContent) : {};

    var field = function (row, name) {
      return row.querySelector("[data-line='" + name + "']");
    };

    var lineFigures = function (row) {
      var quantity = number(field(row, "quantity").value, 1);
      var price = number(field(row, "unit_price").value, 0);
      var discount = number(field(row, "discount").value, 0);
      var gross = round(quantity * price * (100 - discount) / 100);
      var chosen = Array.prototype.filter.call(field(row, "taxes").options, function (option) {
        return option.selected && rates[option.value];
      }).map(function (option) {
        var tax = rates[option.value];
        return {name: option.textContent.trim(), rate: tax.exempt ? 0 : Number(tax.rate) / 100,
                included: tax.included};
      });
      var includedRate = chosen.reduce(function (sum, tax) { return sum + (tax.included ? tax.rate : 0); }, 0);
      var untaxed = gross / (1 + includedRate);
      var taxes = chosen.map(function (tax) { return {name: tax.name, amount: round(untaxed * tax.rate)}; });
      var includedTax = taxes.reduce(function (sum, tax, index) {
        return sum + (chosen[index].included ? tax.amount : 0);
      }, 0);
      return {untaxed: round(gross - includedTax), taxes: taxes};
    };

    var updateInvoice = function () {
      var untaxed = 0;
      var perTax = {};
      var order = [];
      body.querySelectorAll("tr.invoice-line").forEach(function (row) {
        if (row.hidden) {
          return;
        }
        var figures = lineFigures(row);
        var filled = field(row, "unit_price").value !== "";
        row.querySelector("[data-line-subtotal]").textContent = filled ? show(figures.untaxed) : "—";
        untaxed += figures.untaxed;
        figures.taxes.forEach(function (tax) {
          if (!(tax.name in perTax)) {
            perTax[tax.name] = 0;
            order.push(tax.name);
          }
          perTax[tax.name] += tax.amount;
        });
      });
      var taxBody = document.getElementById("total-taxes");
      taxBody.textContent = "";
      var taxTotal = 0;
      order.forEach(function (name) {
        taxTotal += perTax[name];
        var row = document.createElement("tr");
        var label = document.createElement("th");
        label.className = "fw-normal";
        label.textContent = name;
        var amount = document.createElement("td");
        amount.className = "text-end text-nowrap";
        amount.textContent = show(perTax[name]);
        row.append(label, amount);
        taxBody.append(row);
      });
      document.getElementById("total-untaxed").textContent = show(untaxed);
      document.getElementById("total-total").textContent = show(untaxed + taxTotal);
    };

    // Customer documents take sales taxes, supplier documents purchase taxes: the others are hidden.
    var kindSelect = invoiceForm.querySelector("select[name='kind']");
    var showTaxesOfKind = function (scope) {
      var taxKind = kindSelect && kindSelect.value.indexOf("customer") === 0 ? "sales" : "purchase";
      scope.querySelectorAll("select[data-line='taxes'] option[data-kind]").forEach(function (option) {
        var other = option.dataset.kind !== taxKind;
        option.hidden = other;
        if (other) {
          option.selected = false;
        }
      });
    };

    var addLine = function () {
      var index = parseInt(totalForms.value, 10);
      body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      totalForms.value = String(index + 1);
      showTaxesOfKind(body.lastElementChild);
      var first = body.lastElementChild && body.lastElementChild.querySelector("input, select");
      if (first) {
        first.focus();
      }
      updateInvoice();
    };

    var removeLine = function (row) {
      // The server skips a line with nothing filled in: a removed line is emptied and hidden, so the
      // form indexes stay continuous.
      row.querySelectorAll("input, select, textarea").forEach(function (input) {
        if (input.tagName === "SELECT") {
          Array.prototype.forEach.call(input.options, function (option) { option.selected = false; });
        }
        input.value = "";
      });
      row.hidden = true;
      row.classList.add("d-none");
      updateInvoice();
    };

    invoiceForm.addEventListener("input", function (event) {
      if (event.target.closest("tr.invoice-line")) {
        updateInvoice();
      }
    });
    invoiceForm.addEventListener("change", function (event) {
      if (event.target === kindSelect) {
        showTaxesOfKind(body);
        updateInvoice();
      } else if (event.target.closest("tr.invoice-line")) {
        updateInvoice();
      }
    });
    invoiceForm.addEventListener("click", function (event) {
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
    showTaxesOfKind(body);
    updateInvoice();
  }

  // --- Payment allocations ------------------------------------------------------------------
  var paymentForm = document.querySelector("[data-payment-form]");
  if (paymentForm) {
    // The payment's amount: the form's amount field, or (allocating a posted payment) the remainder given.
    var paymentAmount = function () {
      var input = paymentForm.querySelector("[data-payment-amount]");
      if (input) {
        return number(input.value, 0);
      }
      var remainder = document.getElementById("allocation-remainder");
      return remainder ? number(remainder.dataset.amount, 0) : 0;
    };

    var updateAllocations = function () {
      var allocated = 0;
      paymentForm.querySelectorAll("input[data-allocation]").forEach(function (input) {
        allocated += number(input.value, 0);
      });
      var total = document.getElementById("allocated-total");
      var remainder = document.getElementById("allocation-remainder");
      if (!total || !remainder) {
        return;
      }
      var left = round(paymentAmount() - allocated);
      total.textContent = show(allocated);
      remainder.textContent = show(left);
      remainder.classList.toggle("text-danger", left < 0);
    };

    var allocateOldest = function () {
      var left = paymentAmount();
      paymentForm.querySelectorAll("tr[data-allocation-row]").forEach(function (row) {
        var residual = number(row.querySelector("[data-residual]").dataset.residual, 0);
        var share = round(Math.max(0, Math.min(residual, left)));
        row.querySelector("input[data-allocation]").value = share > 0 ? share.toFixed(2) : "";
        left = round(left - share);
      });
      updateAllocations();
    };

    paymentForm.addEventListener("input", function (event) {
      if (event.target.matches("input[data-allocation], [data-payment-amount]")) {
        updateAllocations();
      }
    });
    paymentForm.addEventListener("click", function (event) {
      if (event.target.closest("[data-allocate-oldest]")) {
        event.preventDefault();
        allocateOldest();
      }
    });
    // The partner's invoices are reloaded (htmx) when the partner or the kind changes.
    document.body.addEventListener("htmx:afterSettle", updateAllocations);
    updateAllocations();
  }
})();
