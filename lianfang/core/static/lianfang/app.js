// lianfang page behaviour. Loaded as a file (strict CSP: no inline script).
(function () {
  "use strict";
  // Confirm before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Lists as cards on a phone (app.css, table.table-cards): each cell gets its column's name
  // from the header, unless the template gave it a data-label of its own.
  function labelCards(root) {
    root.querySelectorAll("table.table-cards").forEach(function (table) {
      var names = [];
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) { return; }
      Array.prototype.forEach.call(head.cells, function (th) {
        var span = th.colSpan || 1;
        for (var i = 0; i < span; i++) { names.push(th.textContent.trim()); }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && names[col]) {
              cell.setAttribute("data-label", names[col]);
            }
            col += cell.colSpan || 1;
          });
        });
      });
    });
  }
  labelCards(document);
  document.addEventListener("htmx:afterSettle", function (event) { labelCards(event.target); });
  // Selects that submit their form on change (region switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Charts: <div class="lf-chart" data-chart="json-script-id"> rendered with ECharts.
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    if (!window.echarts) { return; }
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el);
    if (data.heatmap) {
      // {"heatmap": {"x": [...], "y": [...], "data": [[x, y, state], ...], "pieces": [{value, label, color}]}}
      var h = data.heatmap;
      chart.setOption({
        tooltip: {
          formatter: function (p) {
            var piece = h.pieces.filter(function (x) { return x.value === p.value[2]; })[0];
            return h.y[p.value[1]] + " " + h.x[p.value[0]] + "：" + (piece ? piece.label : "");
          }
        },
        grid: { left: 110, right: 10, bottom: 60, top: 10 },
        xAxis: { type: "category", data: h.x, splitArea: { show: true } },
        yAxis: { type: "category", data: h.y, splitArea: { show: true } },
        visualMap: { type: "piecewise", orient: "horizontal", left: "center", bottom: 0, pieces: h.pieces },
        series: [{ type: "heatmap", data: h.data }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
      return;
    }
    if (data.series) {
      // Generic: {"names": [...], "series": [{"name", "type", "data"}, ...]}; with
      // "percent_axis", series with "yAxisIndex": 1 are rates on a 0–100 % axis at the right.
      var counts = { type: "value", minInterval: 1 };
      var percent = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: data.percent_axis ? 45 : 10, bottom: 30, top: 40 },
        xAxis: { type: "category", data: data.names },
        yAxis: data.percent_axis ? [counts, percent] : counts,
        series: data.series
      });
      window.addEventListener("resize", function () { chart.resize(); });
      return;
    }
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [el.dataset.labelBuildings, el.dataset.labelWorkers] },
      grid: { left: 40, right: 10, bottom: 70, top: 40 },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: "value" },
      series: [
        { name: el.dataset.labelBuildings, type: "bar", data: data.buildings },
        { name: el.dataset.labelWorkers, type: "bar", data: data.grid_workers }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
