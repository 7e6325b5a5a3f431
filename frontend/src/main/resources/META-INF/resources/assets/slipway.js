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

  // Instants come as ISO 8601 with micro-seconds: shown to the second, in UTC, the exact value kept
  // in the datetime attribute.
  document.querySelectorAll("time").forEach(function (time) {
    var text = time.textContent.trim();
    var parts = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(text);
    if (!parts) return;
    time.setAttribute("datetime", text);
    time.textContent = parts[1] + " " + parts[2] + " UTC";
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

  // Live logs: <pre data-stream="url" data-fallback="url">. The portal relays the service's
  // Server-Sent Events (log lines; "end" with a build's status; "problem" with why it cannot);
  // when the stream cannot be had, the log as kept is fetched as text instead. A one-off run's
  // output names its part instead (data-part): at its end, or when the stream cannot be had, the
  // part is fetched again (data-part-url), which shows how the run ended.
  function follow(pre) {
    var status = document.querySelector("[data-stream-status='" + pre.id + "']");
    var badge = document.getElementById(pre.getAttribute("data-status-badge") || "");
    var part = document.getElementById(pre.getAttribute("data-part") || "");
    var received = 0;
    var source = new EventSource(pre.getAttribute("data-stream"));
    function say(text) { if (status) status.textContent = text; }
    function append(line) {
      var atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 40;
      pre.appendChild(document.createTextNode(line + "\n"));
      received++;
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    }
    function fallback(reason) {
      source.close();
      if (part) {
        say(reason + " This part is fetched again until the command ended.");
        poll(part, 2000);
        return;
      }
      var url = pre.getAttribute("data-fallback");
      if (!url) { say(reason); return; }
      fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      }).then(function (text) {
        pre.textContent = text ? text + "\n" : "";
        say(reason + " Showing the log as kept.");
      }).catch(function () {
        say(reason + " The kept log could not be loaded either; reload the page to try again.");
      });
    }
    source.addEventListener("log", function (event) { append(event.data); });
    source.addEventListener("end", function (event) {
      source.close();
      if (part) {
        poll(part, 0);
        return;
      }
      say("Finished: " + event.data + ".");
      if (badge) {
        badge.textContent = event.data;
        badge.className = "badge " + event.data;
      }
      document.querySelectorAll("[data-while-running]").forEach(function (element) {
        element.hidden = true;
      });
    });
    source.addEventListener("problem", function (event) {
      source.close();
      say(event.data);
      if (part) poll(part, 2000);
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CONNECTING && received > 0) {
        // a stream that ended after lines: do not replay it from the start
        source.close();
        say("The live stream ended. Reload the page to follow again.");
        if (part) poll(part, 2000);
      } else if (received === 0) {
        fallback("The live log is not available right now.");
      }
    };
  }
  document.querySelectorAll("pre[data-stream]").forEach(follow);

  // A part that changes while something runs (a one-off run): <div data-refresh="url"> is fetched
  // again every two seconds and replaced by the answer, until the answer has no data-refresh (it
  // ended). Without this script the part's <noscript> meta refresh reloads the page instead.
  function refresh(part, delay) {
    setTimeout(function () {
      fetch(part.getAttribute("data-refresh"), { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      }).then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var next = holder.firstElementChild;
        if (!next) return;
        part.replaceWith(next);
        if (next.hasAttribute("data-refresh")) refresh(next, 2000);
        else if (next.hasAttribute("data-part-url")) poll(next, 2000);
      }).catch(function () {
        // left as it is: reloading the page shows where it stands
      });
    }, delay);
  }
  // A part that follows a stream while it runs (data-part-url), fetched again as data-refresh is.
  function poll(part, delay) {
    part.setAttribute("data-refresh", part.getAttribute("data-part-url"));
    refresh(part, delay);
  }
  document.querySelectorAll("[data-refresh]").forEach(function (part) { refresh(part, 2000); });
})();
