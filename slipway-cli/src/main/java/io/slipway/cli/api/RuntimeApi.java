package io.slipway.cli.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * runtime-bridge: deployments, rollback, scale, lifecycle, environment and secrets, custom domains,
 * logs, one-off runs, cron entries.
 */
public final class RuntimeApi {

  public record Revision(
      int revision,
      String status,
      String image,
      String digest,
      int replicas,
      int port,
      String buildId,
      String reason,
      String createdAt,
      String liveAt,
      boolean imageRemoved) {}

  public record Status(
      String tenant,
      String project,
      String app,
      String url,
      Integer liveRevision,
      boolean stopped,
      List<Revision> revisions) {}

  /** The environment and the names of the secrets (their values never leave the bridge). */
  public record Env(Map<String, String> env, List<String> secrets) {}

  /**
   * A custom domain: {@code pending} (not routed) until proven by {@code httpUrl} answering {@code
   * token} or a TXT record {@code txtName} holding it, then {@code verified}.
   */
  public record Domain(
      String domain,
      String state,
      String token,
      String httpUrl,
      String txtName,
      String failure,
      String checkedAt,
      String verifiedAt) {}

  public record Domains(List<Domain> domains) {}

  /**
   * A one-off run: {@code exitCode} null when it {@code timedOut} (or was cut short); {@code
   * output} its last 64 KiB of output.
   */
  public record Run(
      String id,
      int revision,
      String command,
      String runBy,
      String startedAt,
      String finishedAt,
      Integer exitCode,
      boolean timedOut,
      String output,
      Long durationMs) {}

  private static final String APP = "/api/v1/tenants/{}/projects/{}/apps/{}";

  private final Http http;

  public RuntimeApi(Http http) {
    this.http = http;
  }

  public Status status(AppRef app) {
    return Json.read(http.get(path(app, "/deployments")), Status.class);
  }

  public Revision deploy(AppRef app, String image, Integer port, Integer replicas) {
    return Json.read(
        http.postAwaitingDone(
            path(app, "/deployments"),
            TenantApi.body("image", image, "port", port, "replicas", replicas)),
        Revision.class);
  }

  public Revision rollback(AppRef app, int revision) {
    return Json.read(
        http.postAwaitingDone(path(app, "/rollback"), Map.of("revision", revision)),
        Revision.class);
  }

  /** Promotes the app's live image to app {@code toApp} of project {@code toProject}. */
  public Revision promote(AppRef app, String toProject, String toApp) {
    return Json.read(
        http.postAwaitingDone(path(app, "/promote"), Map.of("project", toProject, "app", toApp)),
        Revision.class);
  }

  public Revision scale(AppRef app, int replicas) {
    return scale(app, null, replicas);
  }

  /** Scales one process type of the live revision; {@code type} null is {@code web}. */
  public Revision scale(AppRef app, String type, int replicas) {
    return Json.read(
        http.postAwaitingDone(
            path(app, "/scale"), TenantApi.body("replicas", replicas, "type", type)),
        Revision.class);
  }

  /**
   * An app's scale-to-zero setting, whether it is at zero and how ({@code stage}: awake, paused,
   * stopped), whether the runtime can do it.
   */
  public record ScaleToZero(
      boolean enabled,
      String idleAfter,
      String pausedFor,
      boolean atZero,
      String stage,
      boolean supported) {}

  public ScaleToZero scaleToZero(AppRef app) {
    return Json.read(http.get(path(app, "/scale-to-zero")), ScaleToZero.class);
  }

  /**
   * Opts in after {@code idleAfter}, paused {@code pausedFor} before the stop (each null: the
   * platform's default), or out when not enabled.
   */
  public ScaleToZero scaleToZero(AppRef app, boolean enabled, String idleAfter, String pausedFor) {
    return Json.read(
        http.put(
            path(app, "/scale-to-zero"),
            TenantApi.body(
                "enabled",
                enabled,
                "idleAfter",
                enabled ? idleAfter : null,
                "pausedFor",
                enabled ? pausedFor : null)),
        ScaleToZero.class);
  }

  /** {@code start}, {@code stop} or {@code restart}. */
  public Status lifecycle(AppRef app, String action) {
    return Json.read(http.postAwaitingDone(path(app, "/" + action), null), Status.class);
  }

  public Env env(AppRef app) {
    return Json.read(http.get(path(app, "/env")), Env.class);
  }

  /**
   * Replaces the environment with {@code env}; each secret with a value is set, each with null is
   * removed, secrets not named are kept. Answered once a running app's revision with it is live
   * ({@code Prefer: wait}), as before the bridge accepted configuration changes.
   */
  public Env configure(AppRef app, Map<String, String> env, Map<String, String> secrets) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("env", env);
    body.put("secrets", secrets);
    return Json.read(http.putAwaitingDone(path(app, "/env"), body), Env.class);
  }

  public List<Domain> domains(AppRef app) {
    return Json.read(http.get(path(app, "/domains")), Domains.class).domains();
  }

  /** Claims the domain: pending, with how to prove it. */
  public Domain addDomain(AppRef app, String domain) {
    return Json.read(http.post(path(app, "/domains"), Map.of("domain", domain)), Domain.class);
  }

  /** Runs the proof; a domain not proven yet is a 422 saying why. */
  public Domain verifyDomain(AppRef app, String domain) {
    return Json.read(
        http.post(path(app, "/domains") + Uris.path("/{}/verify", domain), null), Domain.class);
  }

  public void removeDomain(AppRef app, String domain) {
    http.delete(path(app, "/domains") + Uris.path("/{}", domain));
  }

  /**
   * Starts {@code command} in a fresh container of the live revision and answers at once, with the
   * run still running: {@link #runOutput} follows it to its end.
   */
  public Run startRun(AppRef app, String command) {
    return Json.read(
        http.postRespondAsync(path(app, "/runs"), Map.of("command", command)), Run.class);
  }

  /**
   * Follows a run's output: each line from its start to {@code lines} as it comes; returns the run
   * as it ended (the stream's {@code end} event), or null when the stream ended without it.
   */
  public Run runOutput(AppRef app, String id, Consumer<String> lines) {
    Run[] ended = new Run[1];
    http.events(
        path(app, "/runs") + Uris.path("/{}/output", id),
        (name, data) -> {
          switch (name) {
            case "log" -> lines.accept(data);
            case "end" -> ended[0] = Json.read(Json.parse(data), Run.class);
            default -> {
              // an event this client does not know: newer servers may send more
            }
          }
        });
    return ended[0];
  }

  /** One run of the app, as it is now. */
  public Run findRun(AppRef app, String id) {
    return Json.read(http.get(path(app, "/runs") + Uris.path("/{}", id)), Run.class);
  }

  /**
   * One firing of a cron entry: {@code status} {@code running}, {@code succeeded}, {@code failed},
   * {@code timed-out}, {@code not-completed} or {@code skipped} (with its {@code reason}).
   */
  public record CronRun(
      String dueAt,
      String status,
      String runId,
      Integer exitCode,
      String startedAt,
      Long durationMs,
      String reason) {}

  /** An app.json cron entry: its schedule (UTC), command, next due time and last firings. */
  public record CronEntry(
      String id, String schedule, String command, String nextRunAt, List<CronRun> lastRuns) {}

  /** The live revision's cron entries; {@code nextRunAt} is null while the app is stopped. */
  public record Cron(Integer revision, boolean stopped, String timeZone, List<CronEntry> entries) {}

  public Cron cron(AppRef app) {
    return Json.read(http.get(path(app, "/cron")), Cron.class);
  }

  /** One invocation of a function, as the list shows it (without its logs). */
  public record Activation(
      String id,
      int revision,
      String trigger,
      String startedAt,
      long durationMs,
      String status,
      int httpStatus,
      long resultBytes,
      String error) {}

  /** A page of activations, newest first; {@code next} is the id to pass as before for more. */
  public record ActivationPage(List<Activation> activations, String next) {}

  /**
   * The function's activations, newest first: at most {@code limit} (null: the service's 50),
   * before activation {@code before} (null: the newest), of one {@code status} (null: all).
   */
  public ActivationPage activations(AppRef app, Integer limit, String before, String status) {
    return Json.read(
        http.get(
            path(app, "/activations")
                + Uris.query(TenantApi.body("limit", limit, "before", before, "status", status))),
        ActivationPage.class);
  }

  /** The live revision's log lines: the last {@code tail}, then new ones when following. */
  public void logs(AppRef app, int tail, boolean follow, Consumer<String> lines) {
    logs(app, null, tail, follow, lines);
  }

  /** The same for one process type ({@code process} null: {@code web}). */
  public void logs(AppRef app, String process, int tail, boolean follow, Consumer<String> lines) {
    http.events(
        path(app, "/logs")
            + Uris.query(TenantApi.body("tail", tail, "follow", follow, "process", process)),
        (name, data) -> lines.accept(data));
  }

  private static String path(AppRef app, String rest) {
    return Uris.path(APP, app.tenant(), app.project(), app.app()) + rest;
  }
}
