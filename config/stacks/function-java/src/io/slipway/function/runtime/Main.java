package io.slipway.function.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.function.Handler;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slipway's function runtime for Java (docs/functions.md, "The runtime protocol"): {@code java -jar
 * runtime.jar <classes>} serves GET /healthz and POST /run on $PORT and calls the function's {@code
 * Handler} once per /run, in a thread of its own, so that a run that overruns is answered {@code
 * timeout} (after which the process exits: a Java thread cannot be stopped). {@code <classes>
 * --compile} is the build's compile step, {@code <classes> --check} loads the handler as the
 * runtime will; both end with one line {@code slipway function: <why>} when the handler cannot be
 * used. The JDK's own classes only.
 */
public final class Main {

  private static final int MAX_BODY = 6 * 1024 * 1024;
  private static final long MAX_TIMEOUT_MS = 3600 * 1000;
  private static final int MAX_ACTIVATION_ID = 200;

  private final Handler handler;
  private final AtomicBoolean busy = new AtomicBoolean();

  private Main(Handler handler) {
    this.handler = handler;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args.length > 2) {
      System.err.println("usage: java -jar runtime.jar <classes> [--compile|--check]");
      System.exit(2);
    }
    Path classes = Path.of(args[0]);
    String mode = args.length == 2 ? args[1] : "";
    try {
      if (mode.equals("--compile")) {
        Compile.run(classes);
      } else if (mode.equals("--check")) {
        Loader.load(classes);
      } else {
        new Main(Loader.load(classes)).serve();
        return;
      }
    } catch (Loader.Unusable e) {
      if (e.getCause() != null) {
        e.getCause().printStackTrace();
      }
      System.err.println(mode.isEmpty() ? e.getMessage() : "slipway function: " + e.getMessage());
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
    // at once, whatever threads the handler's loading started
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private void serve() throws IOException {
    System.setOut(new PrintStream(Logs.tee(new FileOutputStream(FileDescriptor.out)), true, "UTF-8"));
    System.setErr(new PrintStream(Logs.tee(new FileOutputStream(FileDescriptor.err)), true, "UTF-8"));
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
    // more than one thread, so that a /run while another runs is answered 503
    server.setExecutor(Executors.newCachedThreadPool(daemon("http")));
    server.createContext("/", this::route);
    server.start();
    System.out.println("function runtime: Handler loaded, listening on " + port);
  }

  private void route(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      if (method.equals("GET") && path.equals("/healthz")) {
        send(exchange, 200, "{\"status\":\"ok\"}");
      } else if (method.equals("POST") && path.equals("/run")) {
        run(exchange);
      } else {
        drain(exchange.getRequestBody());
        send(exchange, 404, invalid("not-found", "no " + method + " " + path + " here"));
      }
    }
  }

  private void run(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    // a body over the cap is read to its end and dropped, so the client reads the answer
    boolean tooLarge = drain(exchange.getRequestBody()) > 0 || body.length > MAX_BODY;
    if (busy.get()) {
      send(exchange, 503, "{\"status\":\"busy\"}");
      return;
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      send(exchange, 415, invalid("invalid", "the body must be application/json"));
      return;
    }
    if (tooLarge) {
      send(exchange, 413, invalid("invalid", "the body is larger than " + MAX_BODY + " bytes"));
      return;
    }
    Object request;
    try {
      request = Json.read(new String(body, StandardCharsets.UTF_8));
    } catch (Json.JsonException e) {
      send(exchange, 400, invalid("invalid", "the body is not valid JSON: " + e.getMessage()));
      return;
    }
    String wrong = wrong(request);
    if (wrong != null) {
      send(exchange, 400, invalid("invalid", wrong));
      return;
    }
    if (!busy.compareAndSet(false, true)) {
      send(exchange, 503, "{\"status\":\"busy\"}");
      return;
    }
    Map<?, ?> fields = (Map<?, ?>) request;
    long timeoutMs = (Long) fields.get("timeoutMs");
    @SuppressWarnings("unchecked")
    Map<String, Object> event = (Map<String, Object>) fields.get("event");
    Logs logs = new Logs();
    Logs.current = logs;
    CompletableFuture<String[]> done = new CompletableFuture<>();
    Thread worker = new Thread(() -> done.complete(invoke(event)), "handler");
    worker.setDaemon(true);
    worker.start();
    String[] outcome;
    try {
      outcome = done.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | InterruptedException | ExecutionException e) {
      Logs.current = null;
      String error = "the handler did not finish within its time limit of " + timeoutMs + " ms";
      send(exchange, 200, outcome("timeout", "null", error, logs.end()));
      exchange.close();
      // the handler may still be running: only a fresh process is sure to be rid of it
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(1);
      return;
    }
    Logs.current = null;
    busy.set(false);
    send(exchange, 200, outcome(outcome[0], outcome[1], outcome[2], logs.end()));
  }

  /** Runs the handler once: status, result JSON and error. */
  private String[] invoke(Map<String, Object> event) {
    Object result;
    try {
      result = handler.handle(event);
    } catch (Throwable e) {
      // the stack is the run's log, not its error
      e.printStackTrace();
      return new String[] {"error", "null", Loader.describe(e)};
    }
    try {
      return new String[] {"success", Json.write(result), null};
    } catch (Json.JsonException e) {
      return new String[] {
        "error", "null", "the handler's result is not JSON-serialisable: " + e.getMessage()
      };
    }
  }

  /** What is wrong with the /run request's fields, or null. */
  private static String wrong(Object request) {
    if (!(request instanceof Map<?, ?> fields)) {
      return "the body must be a JSON object with activationId, timeoutMs and event";
    }
    if (!(fields.get("activationId") instanceof String id)
        || id.isEmpty()
        || id.length() > MAX_ACTIVATION_ID) {
      return "activationId must be a string of 1 to " + MAX_ACTIVATION_ID + " characters";
    }
    if (!(fields.get("timeoutMs") instanceof Long timeout)
        || timeout < 1
        || timeout > MAX_TIMEOUT_MS) {
      return "timeoutMs must be an integer from 1 to " + MAX_TIMEOUT_MS;
    }
    if (!(fields.get("event") instanceof Map)) {
      return "event must be a JSON object (a Java handler takes a Map)";
    }
    return null;
  }

  private static String outcome(String status, String result, String error, List<String> logs) {
    StringBuilder out = new StringBuilder("{\"status\":").append(Json.quote(status));
    out.append(",\"result\":").append(result).append(",\"error\":");
    out.append(error == null ? "null" : Json.quote(error)).append(",\"logs\":[");
    for (int i = 0; i < logs.size(); i++) {
      out.append(i == 0 ? "" : ",").append(Json.quote(logs.get(i)));
    }
    return out.append("]}").toString();
  }

  private static String invalid(String status, String error) {
    return "{\"status\":" + Json.quote(status) + ",\"error\":" + Json.quote(error) + "}";
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static long drain(InputStream in) throws IOException {
    return in.transferTo(OutputStream.nullOutputStream());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
