package io.slipway.runtime.deploy;

import com.sun.net.httpserver.HttpExchange;
import io.slipway.kit.problem.Problem;
import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The invoker (issue 22): the router sends every request for a function app here (through the
 * activator's listener, {@link ActivatorEndpoint#invocation}). Each request becomes the contract's
 * event ({@link FunctionEvent}), goes to one ready instance as {@code POST /run} with the app's
 * timeout, one invocation at a time per instance ({@link InstanceLanes}), and the runtime's answer
 * becomes the caller's response ({@link FunctionAnswer}) with its {@value #ACTIVATION_HEADER}. A
 * function at zero is woken first, as the activator wakes any app. Each invocation is recorded as
 * an activation ({@link ActivationLog}). An invocation that timed out, or whose runtime did not
 * answer, leaves its instance restarted ({@link FunctionInstances#restart}) before it takes
 * another.
 */
@Component
class Invoker {

  /** The response header naming the invocation's activation. */
  static final String ACTIVATION_HEADER = "Slipway-Activation-Id";

  /** The largest request body a function takes. */
  static final int MAX_BODY = 6 * 1024 * 1024;

  /** Requests this replica serves at once, across all function apps. */
  static final int MAX_IN_FLIGHT = 400;

  /** The request bodies all of them may keep in memory together, in KiB. */
  static final int BODIES_KIB = 64 * 1024;

  /** How long past the app's timeout the invoker waits for the runtime's own {@code timeout}. */
  static final Duration GRACE = Duration.ofSeconds(2);

  /** How long a request waits for a free instance at least. */
  static final Duration MIN_QUEUE_WAIT = Duration.ofSeconds(30);

  /** The largest answer a runtime may give (a 6 MiB result, its logs, the envelope). */
  static final int MAX_ANSWER = 8 * 1024 * 1024;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final HeldBodies bodies = new HeldBodies(BODIES_KIB);
  // kept for as long as the bridge runs (one small object per function app invoked): a lane
  // forgotten while a caller holds it would let a second invocation onto a busy instance
  private final Map<String, InstanceLanes> lanes = new ConcurrentHashMap<>();

  private final ActivatorEndpoint endpoint;
  private final Activator activator;
  private final ZeroStore zero;
  private final DeploymentStore store;
  private final FunctionImages functions;
  private final FunctionStore settings;
  private final FunctionInstances instances;
  private final ActivationLog activations;

  /** One invocation's outcome: its activation id and what its caller gets. */
  record Invocation(String activationId, FunctionAnswer answer) {}

  Invoker(
      ActivatorEndpoint endpoint,
      Activator activator,
      ZeroStore zero,
      DeploymentStore store,
      FunctionImages functions,
      FunctionStore settings,
      FunctionInstances instances,
      ActivationLog activations) {
    this.endpoint = endpoint;
    this.activator = activator;
    this.zero = zero;
    this.store = store;
    this.functions = functions;
    this.settings = settings;
    this.instances = instances;
    this.activations = activations;
    endpoint.handleInvocations(this::serve);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<String> appId =
          endpoint.verifyInvocation(
              exchange.getRequestHeaders().getFirst(ActivatorEndpoint.HEADER));
      if (appId.isEmpty()) {
        Activator.plain(exchange, 404, "No app is served at this address.\n", false);
        return;
      }
      if (!inFlight.tryAcquire()) {
        problem(exchange, busy());
        return;
      }
      try {
        read(exchange, appId.get());
      } finally {
        inFlight.release();
      }
    }
  }

  /** Reads the body within its bounds, then invokes. */
  private void read(HttpExchange exchange, String appId) throws IOException {
    try (HeldBodies.Body body = bodies.read(exchange, MAX_BODY)) {
      if (body.refusal() == HeldBodies.Refusal.TOO_LARGE) {
        problem(
            exchange,
            new Problem(
                HttpStatusCode.valueOf(413),
                "body-too-large",
                "The request body is too large",
                "A function takes a request body of at most 6 MiB"));
      } else if (body.refusal() != null) {
        problem(exchange, busy());
      } else {
        invoke(exchange, appId, body.bytes());
      }
    }
  }

  /** This replica holds as many function requests as it may. */
  private static Problem busy() {
    return Problem.tooMany(
        "invoker-busy",
        "Too many function requests are in flight on this platform now; try again",
        Duration.ofSeconds(5));
  }

  private void invoke(HttpExchange exchange, String appId, byte[] body) throws IOException {
    ObjectNode event;
    try {
      event =
          FunctionEvent.http(
              exchange.getRequestMethod(),
              exchange.getRequestURI(),
              exchange.getRequestHeaders(),
              body);
    } catch (FunctionEvent.Unreadable e) {
      problem(exchange, Problem.badRequest("invalid-function-request", e.getMessage()));
      return;
    }
    Optional<AppRef> ref = zero.byId(appId);
    if (ref.isEmpty()) {
      Activator.plain(exchange, 404, "No app is served at this address.\n", false);
      return;
    }
    Optional<AppSpec> spec = store.running(ref.get());
    if (spec.isPresent() && zero.atZero(spec.get())) {
      ScaleToZero.Wake woken = activator.awaitWake(appId);
      if (Activator.refused(exchange, woken)) {
        return;
      }
      spec = woken.running();
    }
    if (spec.isEmpty() || functions.runtime(spec.get()).isEmpty()) {
      // stopped, or redeployed as an app while this request was on its way
      Activator.plain(exchange, 503, "This app is starting. Try again in a few seconds.\n", true);
      return;
    }
    Optional<Invocation> done;
    try {
      done = invoke(spec.get(), event, "http", activations.newId());
    } catch (Problem refused) {
      problem(exchange, refused);
      return;
    }
    if (done.isEmpty()) {
      Activator.plain(exchange, 503, "This app is starting. Try again in a few seconds.\n", true);
      return;
    }
    respond(exchange, done.get());
  }

  /** Whether the revision is a function. */
  boolean function(AppSpec spec) {
    return functions.runtime(spec).isPresent();
  }

  /** A new activation id, for a caller that must name the activation before it runs. */
  String newActivationId() {
    return activations.newId();
  }

  /**
   * Invokes the function revision {@code spec} with the cron event of {@code schedule} due at
   * {@code due}, as activation {@code id}, waking it first when it is at zero. Nothing is invoked
   * when it does not come up (its wake is an event of its own).
   */
  void invokeScheduled(AppSpec spec, String schedule, Instant due, String id) {
    if (zero.atZero(spec)) {
      Optional<AppSpec> woken = activator.awaitWake(spec.ref().appId()).running();
      if (woken.isEmpty()) {
        return;
      }
      spec = woken.get();
    }
    invoke(spec, FunctionEvent.cron(schedule, due.toString()), "cron", id);
  }

  /**
   * The app's invocations on this replica running or waiting for an instance: what its requests in
   * flight are, since the router sends a function's requests here rather than to its instances.
   */
  int inFlight(String appId) {
    InstanceLanes appLanes = lanes.get(appId);
    return appLanes == null ? 0 : appLanes.demand();
  }

  /**
   * Invokes the running function revision {@code spec} with {@code event} on one free instance and
   * records it as activation {@code id} with {@code trigger}; empty when no instance runs to take
   * it (it is starting).
   *
   * @throws Problem 429 {@code too-many-invocations} when {@link InstanceLanes#MAX_WAITING} wait
   *     for an instance already, 503 {@code function-busy} when none was free in time
   */
  Optional<Invocation> invoke(AppSpec spec, ObjectNode event, String trigger, String id) {
    AppRef ref = spec.ref();
    int timeout = settings.timeoutSeconds(ref);
    InstanceLanes appLanes = lanes.computeIfAbsent(ref.appId(), app -> new InstanceLanes());
    Optional<Instance> taken;
    try {
      Duration wait = Duration.ofSeconds(timeout).plus(GRACE);
      taken =
          appLanes.take(
              () -> instances.ready(spec),
              wait.compareTo(MIN_QUEUE_WAIT) < 0 ? MIN_QUEUE_WAIT : wait);
    } catch (InstanceLanes.Full full) {
      throw Problem.tooMany(
          "too-many-invocations",
          "This function has "
              + InstanceLanes.MAX_WAITING
              + " invocations waiting for an instance already; try again, or scale it up",
          Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    if (taken.isEmpty()) {
      if (instances.ready(spec).isEmpty()) {
        return Optional.empty();
      }
      throw new Problem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "function-busy",
          "Function busy",
          "Every instance of this function stayed busy while this request waited; try again,"
              + " or scale it up");
    }
    Instance instance = taken.get();
    Instant started = Instant.now();
    long began = System.nanoTime();
    FunctionAnswer answer;
    boolean restart = true;
    try {
      answer = run(instance, id, timeout, event);
      restart = FunctionAnswer.TIMEOUT.equals(answer.status());
    } catch (FunctionRun.TimedOut e) {
      answer = FunctionAnswer.timedOut(timeout, "");
    } catch (IOException e) {
      answer = FunctionAnswer.runtimeFailed("its instance did not answer: " + e.getMessage(), "");
    } catch (JacksonException e) {
      answer = FunctionAnswer.runtimeFailed("its answer is not JSON", "");
    } finally {
      // a timed-out runtime may still run the handler: it takes nothing more until restarted
      if (restart) {
        instances.restart(spec, instance, timeout, () -> appLanes.free(instance.name()));
      } else {
        appLanes.free(instance.name());
      }
    }
    long millis = (System.nanoTime() - began) / 1_000_000;
    activations.record(
        new ActivationStore.Recorded(
            ref,
            new ActivationStore.Activation(
                id,
                spec.revision(),
                trigger,
                started,
                millis,
                answer.status(),
                answer.httpStatus(),
                answer.resultBytes(),
                answer.error(),
                answer.logs())));
    return Optional.of(new Invocation(id, answer));
  }

  /** {@code POST /run} on the instance, and its answer read within {@link #MAX_ANSWER}. */
  private static FunctionAnswer run(Instance instance, String id, int timeout, ObjectNode event)
      throws IOException {
    ObjectNode run = JSON.createObjectNode();
    run.put("activationId", id);
    run.put("timeoutMs", timeout * 1000);
    run.set("event", event);
    FunctionRun.Answer answer;
    try {
      answer =
          FunctionRun.post(
              instance.address(),
              JSON.writeValueAsBytes(run),
              Duration.ofSeconds(timeout).plus(GRACE),
              MAX_ANSWER);
    } catch (FunctionRun.TooLarge e) {
      return FunctionAnswer.runtimeFailed("its answer is over 8 MiB", "");
    }
    if (answer.status() != 200) {
      return FunctionAnswer.runtimeFailed(
          "it answered HTTP " + answer.status() + " to POST /run", "");
    }
    JsonNode parsed = JSON.readTree(answer.body());
    if (!parsed.isObject()) {
      return FunctionAnswer.runtimeFailed("its answer is not a JSON object", "");
    }
    return FunctionAnswer.of(parsed, timeout);
  }

  private static void respond(HttpExchange exchange, Invocation done) throws IOException {
    FunctionAnswer answer = done.answer();
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.getResponseHeaders().set(ACTIVATION_HEADER, done.activationId());
    int status = answer.httpStatus();
    boolean bodiless =
        "HEAD".equals(exchange.getRequestMethod())
            || status == 204
            || status == 304
            || answer.body().length == 0;
    exchange.sendResponseHeaders(status, bodiless ? -1 : answer.body().length);
    if (!bodiless) {
      exchange.getResponseBody().write(answer.body());
    }
  }

  private static void problem(HttpExchange exchange, Problem problem) throws IOException {
    byte[] body = JSON.writeValueAsBytes(problem.toMap());
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    problem
        .retryAfter()
        .ifPresent(
            after ->
                exchange.getResponseHeaders().set("Retry-After", Long.toString(after.toSeconds())));
    exchange.sendResponseHeaders(problem.status().value(), body.length);
    exchange.getResponseBody().write(body);
  }
}
