/* Bar charts of the valuation screens: each canvas[data-chart] is drawn from the JSON script element whose id it
   names ({"labels": [...], "values": ["12.50", ...], "label": "Value"}), with the vendored Chart.js. */
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
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{label: data.label, data: data.values.map(Number), backgroundColor: "rgba(13, 110, 253, 0.6)"}]
      },
      options: {
        indexAxis: data.labels.length > 6 ? "y" : "x",
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
