'use strict';
// Slipway's function runtime for Node.js (docs/functions.md, "The runtime protocol"): serves
// GET /healthz and POST /run on $PORT and runs ./handler.js once per /run. Node's own modules only.
//
// The handler runs in a worker thread, not on the thread that serves HTTP: a handler that never
// yields (a busy loop) would otherwise keep the timeout from ever firing. Whatever the handler writes
// to stdout/stderr goes to the container's output as usual and, line by line, to the invocation's
// logs. `node runtime.js --check` loads the handler the way the runtime does and says in one line
// why it cannot be used; the function stacks' builds run it before the image is made.

const http = require('node:http');
const path = require('node:path');
const util = require('node:util');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

const HANDLER = path.resolve('handler.js');
const MAX_BODY = 6 * 1024 * 1024;
const MAX_LOG_LINES = 1000;
const MAX_LOG_BYTES = 64 * 1024;
const MAX_TIMEOUT_MS = 3600 * 1000;
const MAX_ACTIVATION_ID = 200;

/** The handler's function, or an Error whose message is the one line a build failure shows. */
function loadHandler() {
  let exported;
  try {
    exported = require(HANDLER);
  } catch (e) {
    const line = errorLine(e);
    const failure = new Error(
      e instanceof SyntaxError
        ? `handler.js has a syntax error${line ? ' at line ' + line : ''}: ${firstLine(e)}`
        : `handler.js failed to load${line ? ' (line ' + line + ')' : ''}: ${firstLine(e)}`);
    failure.cause = e;
    throw failure;
  }
  if (typeof exported === 'function') {
    return exported;
  }
  if (exported && typeof exported.main === 'function') {
    return exported.main;
  }
  throw new Error('handler.js does not export a function: end it with'
    + ' module.exports = async (event) => { ... } or exports.main = (event) => { ... }');
}

/** The line of handler.js an error points at: a SyntaxError's "file:line", else its stack's frame. */
function errorLine(e) {
  const stack = e && typeof e.stack === 'string' ? e.stack : '';
  const escaped = HANDLER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = stack.match(new RegExp(escaped + ':(\\d+)'));
  return match ? match[1] : null;
}

/** The first line of describe(e): what a build failure's one-line reason can hold. */
function firstLine(e) {
  return describe(e).split('\n')[0];
}

/** "Type: message", never a stack. */
function describe(e) {
  if (e instanceof Error) {
    return `${e.name}: ${e.message}`;
  }
  return `thrown value ${util.inspect(e, { depth: 2, breakLength: Infinity })}`;
}

// ---- the worker: loads the handler and runs it, one event at a time ----

function runWorker() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, encoding, callback) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      parentPort.postMessage({ type: 'output', text });
      return write(chunk, encoding, callback);
    };
  }
  let handler;
  try {
    handler = loadHandler();
  } catch (e) {
    parentPort.postMessage({ type: 'failed', message: e.message, stack: (e.cause || e).stack });
    return;
  }
  parentPort.on('message', ({ event }) => {
    Promise.resolve()
      .then(() => handler(event))
      .then(
        (result) => {
          let json;
          try {
            json = JSON.stringify(result === undefined ? null : result);
          } catch (e) {
            parentPort.postMessage({ type: 'done', status: 'error',
              error: `the handler's result is not JSON-serialisable: ${describe(e)}` });
            return;
          }
          if (json === undefined) {
            parentPort.postMessage({ type: 'done', status: 'error',
              error: `the handler's result is not JSON-serialisable: a ${typeof result}` });
            return;
          }
          parentPort.postMessage({ type: 'done', status: 'success', result: json });
        },
        (e) => {
          // the stack is the invocation's log, not its error
          console.error(e instanceof Error && e.stack ? e.stack : describe(e));
          parentPort.postMessage({ type: 'done', status: 'error', error: describe(e) });
        });
  });
  parentPort.postMessage({ type: 'loaded' });
}

// ---- the main thread: HTTP ----

/** The lines of one invocation's output, within the caps. */
class Logs {
  constructor() {
    this.lines = [];
    this.bytes = 0;
    this.dropped = 0;
    this.partial = '';
  }

  add(text) {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop();
    parts.forEach((line) => this.keep(line));
  }

  keep(line) {
    const size = Buffer.byteLength(line, 'utf8');
    if (this.dropped === 0 && this.lines.length < MAX_LOG_LINES && this.bytes + size <= MAX_LOG_BYTES) {
      this.lines.push(line);
      this.bytes += size;
    } else {
      this.dropped++;
    }
  }

  end() {
    if (this.partial !== '') {
      this.keep(this.partial);
      this.partial = '';
    }
    const kept = this.lines.slice();
    if (this.dropped > 0) {
      kept.push(`… ${this.dropped} more lines not kept`);
    }
    return kept;
  }
}

function send(res, status, body, then) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text, then);
}

function outcome(status, resultJson, error, logs) {
  return `{"status":${JSON.stringify(status)},"result":${resultJson},`
    + `"error":${JSON.stringify(error)},"logs":${JSON.stringify(logs)}}`;
}

/** The /run request's fields, or a string saying what is wrong with it. */
function parseRun(body) {
  let request;
  try {
    request = JSON.parse(body);
  } catch (e) {
    return `the body is not valid JSON: ${e.message}`;
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return 'the body must be a JSON object with activationId, timeoutMs and event';
  }
  const { activationId, timeoutMs } = request;
  if (typeof activationId !== 'string' || activationId.length === 0
    || activationId.length > MAX_ACTIVATION_ID) {
    return `activationId must be a string of 1 to ${MAX_ACTIVATION_ID} characters`;
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    return `timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}`;
  }
  return { activationId, timeoutMs, event: request.event === undefined ? null : request.event };
}

function serve() {
  const worker = new Worker(__filename);
  let current = null; // { logs, res, timer } while an invocation runs
  let busy = false;

  worker.on('message', (message) => {
    if (message.type === 'output') {
      if (current) {
        current.logs.add(message.text);
      }
    } else if (message.type === 'failed') {
      process.stderr.write(`${message.stack}\n${message.message}\n`, () => process.exit(1));
    } else if (message.type === 'loaded') {
      listen();
    } else if (message.type === 'done' && current) {
      const { logs, res, timer } = current;
      clearTimeout(timer);
      current = null;
      busy = false;
      send(res, 200, outcome(message.status, message.status === 'success' ? message.result : 'null',
        message.status === 'success' ? null : message.error, logs.end()));
    }
  });
  worker.on('error', (e) => {
    process.stderr.write(`the function's worker failed: ${e && e.stack ? e.stack : describe(e)}\n`);
    if (current) {
      send(current.res, 200, outcome('error', 'null', `the handler crashed the runtime: ${describe(e)}`,
        current.logs.end()), () => process.exit(1));
    } else {
      process.exit(1);
    }
  });
  worker.on('exit', (code) => {
    // process.exit() in a handler ends only its worker: the runtime goes too, after answering
    if (current) {
      clearTimeout(current.timer);
      send(current.res, 200, outcome('error', 'null', `the handler ended the runtime (exit code ${code})`,
        current.logs.end()), () => process.exit(1));
    } else {
      process.exit(1);
    }
  });

  const server = http.createServer((req, res) => {
    const pathname = req.url.split('?')[0];
    if (req.method === 'GET' && pathname === '/healthz') {
      send(res, 200, { status: 'ok' });
    } else if (req.method === 'POST' && pathname === '/run') {
      run(req, res);
    } else {
      req.resume();
      send(res, 404, { status: 'not-found', error: `no ${req.method} ${pathname} here` });
    }
  });

  function run(req, res) {
    if (busy) {
      req.resume();
      send(res, 503, { status: 'busy' });
      return;
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] || '')) {
      req.resume();
      send(res, 415, { status: 'invalid', error: 'the body must be application/json' });
      return;
    }
    // a body over the cap is read to its end and dropped, so that the client, still sending, reads
    // the answer instead of a reset connection
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        send(res, 413, { status: 'invalid', error: `the body is larger than ${MAX_BODY} bytes` });
        return;
      }
      const request = parseRun(Buffer.concat(chunks).toString('utf8'));
      if (typeof request === 'string') {
        send(res, 400, { status: 'invalid', error: request });
        return;
      }
      if (busy) {
        send(res, 503, { status: 'busy' });
        return;
      }
      busy = true;
      const logs = new Logs();
      const timer = setTimeout(() => {
        current = null;
        // the handler may still be running: only a fresh process is sure to be rid of it
        send(res, 200, outcome('timeout', 'null',
          `the handler did not finish within its time limit of ${request.timeoutMs} ms`, logs.end()),
        () => process.exit(1));
      }, request.timeoutMs);
      current = { logs, res, timer };
      worker.postMessage({ event: request.event });
    });
  }

  function listen() {
    const port = Number(process.env.PORT || 8080);
    server.listen(port, () => console.log(`function runtime: handler.js loaded, listening on ${port}`));
  }
}

if (!isMainThread) {
  runWorker();
} else if (process.argv[2] === '--check') {
  // exits at once: a handler that starts a timer or a connection as it loads would keep the build
  // waiting otherwise
  try {
    loadHandler();
    process.exit(0);
  } catch (e) {
    if (e.cause && e.cause.stack) {
      console.error(e.cause.stack);
    }
    console.error(`slipway function: ${e.message}`);
    process.exit(1);
  }
} else {
  serve();
}
