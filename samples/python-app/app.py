"""A Slipway sample: answers GET / on $PORT (8080 on Slipway).

Its one dependency, humanize (requirements.txt, installed by the platform's build), words how
long it took to start.
"""
import os
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import humanize

STARTED = time.monotonic()


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/":
            self.send_error(404)
            return
        body = b"Hello from python-app on Slipway\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Hello)
    took = timedelta(seconds=time.monotonic() - STARTED)
    print(
        f"python-app listening on {port}, started in "
        + humanize.precisedelta(took, minimum_unit="milliseconds"),
        flush=True,
    )
    server.serve_forever()
