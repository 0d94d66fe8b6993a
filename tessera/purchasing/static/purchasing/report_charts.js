/* Bar charts of the purchasing reports and dashboard: each canvas[data-chart] is drawn from the JSON script
   element whose id it names ({"labels": [...], "values": ["12.50", ...], "label": "Amount", "vertical": true}),
   with the vendored Chart.js. Months stay vertical bars; long lists of names lie horizontal. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined,
    {minimumFractionDigits: 2, maximumFractionDigits: 2});
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var horizontal = !data.vertical && data.labels.length > 6;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{label: data.label, data: data.values.map(Number), backgroundColor: "rgba(25, 135, 84, 0.6)"}]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        plugins: {
          legend: {display: false},
          tooltip: {callbacks: {label: function (item) { return format.format(item.raw); }}}
        },
        scales: {x: {ticks: {autoSkip: false}}}
      }
    });
  });
})();
