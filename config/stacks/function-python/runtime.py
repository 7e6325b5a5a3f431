"""Slipway's function runtime for Python (docs/functions.md, "The runtime protocol").

Serves GET /healthz and POST /run on $PORT and calls main(event) of ./handler.py once per /run.
The standard library only. The handler runs in a thread of its own, so that the request's thread
can answer "timeout" when it overruns; a Python thread cannot be stopped, so the process then exits
and the platform starts a fresh one. Whatever the handler prints goes to the container's output as
usual and, line by line, to the invocation's logs. `python3 runtime.py --check` loads the handler
the way the runtime does and says in one line why it cannot be used; the function stack's build
runs it before the image is made.
"""

import asyncio
import http.server
import importlib.util
import inspect
import json
import os
import sys
import threading
import traceback

HANDLER = os.path.abspath("handler.py")
MAX_BODY = 6 * 1024 * 1024
MAX_LOG_LINES = 1000
MAX_LOG_BYTES = 64 * 1024
MAX_TIMEOUT_MS = 3600 * 1000
MAX_ACTIVATION_ID = 200


class UnusableHandler(Exception):
    """Why handler.py cannot be run, in the one line a build failure shows."""


def load_handler():
    """main of handler.py, or UnusableHandler."""
    try:
        with open(HANDLER, encoding="utf-8") as source:
            code = compile(source.read(), HANDLER, "exec")
    except SyntaxError as e:
        raise UnusableHandler(
            f"handler.py has a syntax error at line {e.lineno}: {type(e).__name__}: {e.msg}"
        ) from e
    sys.path.insert(0, os.path.dirname(HANDLER))
    spec = importlib.util.spec_from_file_location("handler", HANDLER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["handler"] = module
    try:
        exec(code, module.__dict__)
    except Exception as e:
        frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == HANDLER]
        where = f" (line {frames[-1].lineno})" if frames else ""
        raise UnusableHandler(f"handler.py failed to load{where}: {describe(e)}") from e
    main = getattr(module, "main", None)
    if not callable(main):
        raise UnusableHandler(
            "handler.py has no main(event): define def main(event): at its top level"
        )
    try:
        inspect.signature(main).bind(None)
    except TypeError:
        raise UnusableHandler(
            "handler.py's main must take one argument, the event: def main(event):"
        ) from None
    except ValueError:
        pass  # a builtin without a signature: called as it is
    return main


def describe(e):
    """'Type: message' on one line, never a traceback."""
    message = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {message}" if message else type(e).__name__


class Logs:
    """The lines of one invocation's output, within the caps."""

    def __init__(self):
        self.lines = []
        self.bytes = 0
        self.dropped = 0
        self.partial = ""
        self.lock = threading.Lock()

    def add(self, text):
        with self.lock:
            parts = (self.partial + text).split("\n")
            self.partial = parts.pop()
            for line in parts:
                self._keep(line)

    def _keep(self, line):
        size = len(line.encode("utf-8", "replace"))
        if (
            self.dropped == 0
            and len(self.lines) < MAX_LOG_LINES
            and self.bytes + size <= MAX_LOG_BYTES
        ):
            self.lines.append(line)
            self.bytes += size
        else:
            self.dropped += 1

    def end(self):
        with self.lock:
            if self.partial:
                self._keep(self.partial)
                self.partial = ""
            kept = list(self.lines)
            if self.dropped:
                kept.append(f"\u2026 {self.dropped} more lines not kept")
            return kept


class Tee:
    """sys.stdout or sys.stderr: writes through, and into the running invocation's logs."""

    current = None  # the Logs of the invocation that runs, if any

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        logs = Tee.current
        if logs is not None:
            logs.add(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


def invoke(main, event, done):
    """Calls main(event) and puts (status, result json, error) into done."""
    try:
        result = main(event)
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
    except BaseException as e:  # noqa: BLE001: whatever the handler raises is its error
        traceback.print_exc()  # the traceback is the invocation's log, not its error
        done.append(("error", "null", describe(e)))
        return
    try:
        done.append(("success", json.dumps(result, allow_nan=False), None))
    except (TypeError, ValueError, RecursionError) as e:
        done.append(("error", "null", f"the handler's result is not JSON-serialisable: {describe(e)}"))


def parse_run(body):
    """The /run request's fields, or a string saying what is wrong with it."""
    try:
        request = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        return f"the body is not valid JSON: {e}"
    if not isinstance(request, dict):
        return "the body must be a JSON object with activationId, timeoutMs and event"
    activation = request.get("activationId")
    if not isinstance(activation, str) or not 1 <= len(activation) <= MAX_ACTIVATION_ID:
        return f"activationId must be a string of 1 to {MAX_ACTIVATION_ID} characters"
    timeout = request.get("timeoutMs")
    if type(timeout) is not int or not 1 <= timeout <= MAX_TIMEOUT_MS:
        return f"timeoutMs must be an integer from 1 to {MAX_TIMEOUT_MS}"
    return activation, timeout, request.get("event")


def server_class(main):
    busy = threading.Lock()

    class Runtime(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass  # the platform's router logs requests; these lines would land in activations' logs

        def send(self, status, body, close=False):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def path_only(self):
            return self.path.split("?", 1)[0]

        def do_GET(self):
            if self.path_only() == "/healthz":
                self.send(200, {"status": "ok"})
            else:
                self.not_found()

        def do_POST(self):
            if self.path_only() != "/run":
                self.not_found()
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self.send(411, {"status": "invalid", "error": "a Content-Length is required"}, True)
                return
            if length > MAX_BODY or length < 0:
                self.drain(length)
                self.send(413, {"status": "invalid", "error": f"the body is larger than {MAX_BODY} bytes"}, True)
                return
            body = self.rfile.read(length)
            content_type = self.headers.get("Content-Type", "")
            if not content_type.lower().startswith("application/json"):
                self.send(415, {"status": "invalid", "error": "the body must be application/json"})
                return
            request = parse_run(body)
            if isinstance(request, str):
                self.send(400, {"status": "invalid", "error": request})
                return
            if not busy.acquire(blocking=False):
                self.send(503, {"status": "busy"})
                return
            try:
                self.run(*request)
            finally:
                busy.release()

        def run(self, activation, timeout_ms, event):
            logs = Logs()
            done = []
            Tee.current = logs
            worker = threading.Thread(target=invoke, args=(main, event, done), daemon=True)
            worker.start()
            worker.join(timeout_ms / 1000)
            Tee.current = None
            if worker.is_alive():
                error = f"the handler did not finish within its time limit of {timeout_ms} ms"
                self.send(200, outcome("timeout", "null", error, logs.end()), True)
                # the handler may still be running: only a fresh process is sure to be rid of it
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(1)
            status, result, error = done[0]
            self.send(200, outcome(status, result, error, logs.end()))

        def drain(self, length):
            """Reads a body over the cap to its end, so the client reads the answer, not a reset."""
            left = length if length > 0 else 0
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)

        def not_found(self):
            self.send(404, {"status": "not-found", "error": f"no {self.command} {self.path_only()} here"})

        def __getattr__(self, name):
            # every other method is a 404 too, not http.server's 501
            if name.startswith("do_"):
                return self.not_found
            raise AttributeError(name)

    return Runtime


def outcome(status, result_json, error, logs):
    return (
        f'{{"status":{json.dumps(status)},"result":{result_json},'
        f'"error":{json.dumps(error)},"logs":{json.dumps(logs)}}}'
    ).encode()


def check():
    """Exits at once either way: a handler that starts a thread as it loads would keep the build."""
    try:
        load_handler()
    except UnusableHandler as e:
        if e.__cause__ is not None:
            traceback.print_exception(e.__cause__)
        print(f"slipway function: {e}", file=sys.stderr, flush=True)
        os._exit(1)
    sys.stdout.flush()
    os._exit(0)


def serve():
    try:
        main = load_handler()
    except UnusableHandler as e:
        if e.__cause__ is not None:
            traceback.print_exception(e.__cause__)
        print(e, file=sys.stderr, flush=True)
        sys.exit(1)
    sys.stdout = Tee(sys.stdout)
    sys.stderr = Tee(sys.stderr)
    port = int(os.environ.get("PORT", "8080"))
    server = http.server.ThreadingHTTPServer(("", port), server_class(main))
    server.daemon_threads = True
    print(f"function runtime: handler.py loaded, listening on {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    check() if sys.argv[1:] == ["--check"] else serve()
