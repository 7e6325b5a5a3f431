// Slipway console: progressive enhancement only; every page works without this script.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="element-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // The usage chart: CPU and memory held at the end of each day (data in #usage-data).
  function drawUsage() {
    var target = document.getElementById("usage-chart");
    var data = document.getElementById("usage-data");
    if (!target || !data || typeof uPlot === "undefined") return;
    var days = JSON.parse(data.textContent);
    var x = days.map(function (d) { return Date.parse(d.day + "T00:00:00Z") / 1000; });
    var width = Math.max(280, target.clientWidth);
    new uPlot({
      width: width,
      height: 220,
      series: [
        {},
        { label: "CPU (millicores)", stroke: "#0b6bcb", width: 2 },
        { label: "Memory (MiB)", stroke: "#b54708", width: 2, scale: "mib" }
      ],
      axes: [{}, { label: "millicores" }, { side: 1, scale: "mib", label: "MiB" }]
    }, [x, days.map(function (d) { return d.cpuMillicores; }),
        days.map(function (d) { return d.memoryMib; })], target);
  }
  window.addEventListener("load", drawUsage);
})();
