// A VM's serial console (docs/portal.md): xterm.js on the portal's WebSocket, which the portal
// passes on to runtime-bridge as the signed-in user. Binary frames are the console's bytes; text
// frames are notices ({"notice": ..., "message": ...}) shown under the terminal.
(function () {
  "use strict";

  function start() {
    var target = document.getElementById("vm-console");
    var status = document.getElementById("vm-console-status");
    if (!target || !status) return;
    if (typeof Terminal === "undefined") {
      status.textContent = "The terminal could not be loaded.";
      return;
    }
    var term = new Terminal({ cursorBlink: true, rows: 24, cols: 80, scrollback: 2000 });
    term.open(target);
    // the browser tests read the screen from here (a canvas holds no text)
    window.slipwayConsole = term;
    var url = new URL(target.getAttribute("data-console"), window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    var encoder = new TextEncoder();
    var socket = null;

    // 1012: the VM's QEMU is starting (its console not up yet), or the sign-in the session was
    // opened with expired: opened again, a few times in a row at most
    function connect(attempt) {
      socket = new WebSocket(url.toString());
      socket.binaryType = "arraybuffer";
      socket.onopen = function () {
        attempt = 0;
        status.textContent = "Connected.";
        term.focus();
      };
      socket.onmessage = function (event) {
        if (typeof event.data === "string") {
          status.textContent = JSON.parse(event.data).message;
          return;
        }
        term.write(new Uint8Array(event.data));
      };
      socket.onclose = function (event) {
        if (event.code === 1012 && attempt < 10) {
          setTimeout(function () { connect(attempt + 1); }, 1000);
          return;
        }
        status.textContent = status.textContent + " Disconnected"
          + (event.reason ? " (" + event.reason + ")" : "") + ": reload the page to connect again.";
      };
    }

    connect(0);
    term.onData(function (data) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(data));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
