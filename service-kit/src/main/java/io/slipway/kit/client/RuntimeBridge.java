package io.slipway.kit.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * runtime-bridge's API as the other services call it: the one declarative client of it (made by
 * {@link ServiceClients#create}). runtime-bridge accepts a deploy at once (202) and rolls it out
 * afterwards; this client asks it, with {@code Prefer: wait} (RFC 7240), to answer once the
 * revision is live or failed, up to {@link #DEPLOY_WAIT_SECONDS}, so its read timeout must be
 * longer than that. A rollout that takes longer is answered 202 with the revision still on its way.
 */
@HttpExchange(
    url = "/api/v1/tenants/{tenant}/projects/{project}/apps/{app}",
    accept = "application/json")
public interface RuntimeBridge {

  /**
   * A deploy of a built image; runtime-bridge treats {@code buildId} as the idempotency key.
   *
   * @param commit the commit the image was built from, shown beside the revision
   * @param fork true for a build of a pull request from a fork (issue 25): its revision runs with
   *     no secrets at all; left out otherwise
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeployRequest(
      String image, String digest, String buildId, int buildNumber, String commit, Boolean fork) {}

  /** The revision a deploy made: {@code live}, {@code failed} (with a reason) or on its way. */
  record Revision(Integer revision, String status, String reason) {}

  /** The part of an app's deployments view the other services read: where it answers. */
  record Deployments(String url) {}

  /**
   * How long a deploy asks runtime-bridge to hold its answer for the rollout: a release phase (10
   * min by default) and a health check fit, and a 15-minute read timeout is not reached first.
   */
  int DEPLOY_WAIT_SECONDS = 840;

  @PostExchange(value = "/deployments", headers = "Prefer=wait=" + DEPLOY_WAIT_SECONDS)
  Revision deploy(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody DeployRequest request);

  @GetExchange("/deployments")
  Deployments deployments(
      @PathVariable String tenant, @PathVariable String project, @PathVariable String app);

  // ---- as the portal calls it, always with the signed-in user's token ----

  /**
   * How long a deploy, rollback, scale, stop, start or restart from the portal waits for the
   * reconciler to carry it out: a browser's form post, answered as before for every usual rollout;
   * a longer one is answered 202 with the change still on its way, which the app page then shows as
   * it goes.
   */
  int PORTAL_WAIT_SECONDS = 60;

  /**
   * A deploy of an image as a user asks for it; null fields take runtime-bridge's defaults.
   *
   * @param port the port the app listens on (null: the image's, else 8080)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ImageDeploy(String image, Integer port) {}

  /** Deploys {@code request}'s image as the caller. */
  @PostExchange(value = "/deployments", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  Revision deploy(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody ImageDeploy request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Back to an earlier revision's image and settings, as a new revision. */
  record RollbackRequest(int revision) {}

  /** How many instances of a process type to run; {@code type} null means {@code web}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ScaleRequest(int replicas, String type) {}

  @PostExchange(value = "/rollback", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  void rollback(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody RollbackRequest request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Another app of the same tenant, to promote an app's live image to. */
  record PromoteRequest(String project, String app) {}

  /** Runs the app's live image, by digest and without a rebuild, on another app of the tenant. */
  @PostExchange(value = "/promote", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  void promote(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody PromoteRequest request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Keeps (pinned) or stops keeping a revision's image whatever retention says. */
  @PostExchange("/deployments/{revision}/pin")
  void pin(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int revision,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @DeleteExchange("/deployments/{revision}/pin")
  void unpin(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int revision,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PostExchange(value = "/scale", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  void scale(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody ScaleRequest request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * An app's scale-to-zero setting ({@code idleAfter} such as {@code 5m}; {@code pausedFor} how
   * long idle instances stay paused before they are stopped, {@code 0s}: not at all), whether it is
   * at zero now and how ({@code stage}: {@code awake}, {@code paused} or {@code stopped}), and
   * whether the platform's runtime can scale apps to zero.
   */
  record ScaleToZero(
      boolean enabled,
      String idleAfter,
      String pausedFor,
      boolean atZero,
      String stage,
      boolean supported) {

    /** Whether the app's instances are paused rather than stopped. */
    public boolean paused() {
      return "paused".equals(stage);
    }
  }

  /**
   * Opts an app in ({@code idleAfter} null: 5 minutes; {@code pausedFor} null: no paused stage) or
   * out of scale to zero.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ScaleToZeroSetting(boolean enabled, String idleAfter, String pausedFor) {}

  @GetExchange("/scale-to-zero")
  ScaleToZero scaleToZero(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Changes the setting; opting out of an app at zero wakes it first (a quota may refuse that). */
  @PutExchange("/scale-to-zero")
  ScaleToZero setScaleToZero(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody ScaleToZeroSetting setting,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * An app's autoscaling on concurrency (docs/runtime-bridge.md#autoscaling): whether it is on, its
   * web replicas' bounds and the requests in flight each is meant for, whether the runtime can.
   */
  record Autoscaling(
      boolean enabled, Integer min, Integer max, Integer targetConcurrency, boolean supported) {}

  /** Opts an app in between {@code min} and {@code max} (null: the defaults), or out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AutoscaleSetting(boolean enabled, Integer min, Integer max, Integer targetConcurrency) {}

  @GetExchange("/autoscaling")
  Autoscaling autoscaling(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Changes the setting; out-of-bounds numbers are a 400 naming the field. */
  @PutExchange("/autoscaling")
  Autoscaling setAutoscaling(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody AutoscaleSetting setting,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * A function app's setting and whether the app is a function now.
   *
   * @param timeoutSeconds how long one invocation may run
   * @param runtime the live revision's function runtime ({@code node}, {@code python}, {@code
   *     java}); null when the app is not a function or nothing is live
   */
  record FunctionView(int timeoutSeconds, String runtime) {}

  /** A function's setting to change; {@code timeoutSeconds} null goes back to the default. */
  record FunctionSetting(Integer timeoutSeconds) {}

  /**
   * One invocation of a function.
   *
   * @param status {@code success}, {@code error} or {@code timeout}
   * @param httpStatus what the caller got
   * @param resultBytes the size of the handler's result as JSON (0 for none)
   * @param error the handler's error, or null
   * @param logs the lines the handler wrote; null when listed (the list leaves them out)
   */
  record Activation(
      String id,
      int revision,
      String trigger,
      Instant startedAt,
      long durationMs,
      String status,
      int httpStatus,
      long resultBytes,
      String error,
      String logs) {}

  /**
   * A page of a function's activations, newest first; {@code next} (null on the last page) is the
   * {@code before} of the next, older page.
   */
  record ActivationPage(List<Activation> activations, String next) {}

  @GetExchange("/function")
  FunctionView function(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Changes the setting (developer role); 400 {@code invalid-function-setting} out of bounds. */
  @PutExchange("/function")
  FunctionView setFunction(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody FunctionSetting setting,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * The app's activations started before activation {@code before} (null: the newest), of one
   * {@code status} ({@code success}, {@code error} or {@code timeout}; null: all).
   */
  @GetExchange("/activations")
  ActivationPage activations(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int limit,
      @RequestParam(required = false) String before,
      @RequestParam(required = false) String status,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** One activation of the app, with its logs (404 when the app has no such activation). */
  @GetExchange("/activations/{id}")
  Activation activation(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String id,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Stops every instance; the app's URL answers again once it is started. */
  @PostExchange(value = "/stop", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  void stop(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @PostExchange(value = "/start", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  void start(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Replaces every instance. */
  @PostExchange(value = "/restart", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  void restart(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * An app that is a VM (docs/vms.md): its spec (the user-data's size only), whether it should run
   * ({@code desired}), what podman and QEMU say ({@code state}: {@code RUNNING}, {@code STOPPED} or
   * {@code ABSENT}), whether its guest is ready, and its URL when it has an HTTP port.
   */
  record VmView(
      int vcpus,
      int memoryMib,
      String image,
      int userDataBytes,
      List<Integer> ports,
      Integer httpPort,
      Integer dataDiskMib,
      String url,
      String desired,
      String state,
      String accelerator,
      boolean ready,
      Double readyAfterSeconds,
      List<String> addresses) {}

  /**
   * A VM to make of an app: its size, the VM image (null: the platform's guest image), its
   * cloud-init user-data (null: none), the guest ports it exposes, the one its hosts route to, and
   * its persistent data disk's size in MiB (null: none).
   */
  record NewVm(
      int vcpus,
      int memoryMib,
      String image,
      String userData,
      List<Integer> ports,
      Integer httpPort,
      Integer dataDiskMib) {}

  /**
   * Makes the app's VM and starts it (answered once QEMU runs); refused over quota ({@code
   * quota-exceeded}), for a bad field ({@code invalid-vm}) or an image it may not boot.
   */
  @PutExchange("/vm")
  VmView createVm(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody NewVm request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Deletes the app's VM: its container, disk, reservation and spec. */
  @DeleteExchange("/vm")
  void deleteVm(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The app's VM; 404 when the app is no VM. */
  @GetExchange("/vm")
  VmView vm(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Starts the app's stopped VM, reserving its compute; answered once QEMU runs. */
  @PostExchange("/vm/start")
  VmView startVm(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Powers the app's VM off; answered once QEMU has exited. */
  @PostExchange("/vm/stop")
  VmView stopVm(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Powers the app's VM off and boots it again on the same disk. */
  @PostExchange("/vm/restart")
  VmView restartVm(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** An app's environment variables (values shown) and the names of its secrets (never values). */
  record EnvView(Map<String, String> env, List<String> secrets) {}

  /**
   * A new configuration: {@code env} replaces the environment; each secret with a value is set, one
   * with null removed, and secrets not named are kept.
   */
  record EnvRequest(Map<String, String> env, Map<String, String> secrets) {}

  /**
   * A custom domain of the app: {@code pending} until its proof passes, then {@code verified}.
   * While pending, {@code httpUrl} answering {@code token}, or a TXT record {@code txtName} holding
   * it, proves it; {@code failure} says why the last check failed.
   */
  record DomainView(
      String domain, String state, String token, String httpUrl, String txtName, String failure) {}

  /** An app's custom domains. */
  record DomainsView(List<DomainView> domains) {}

  record DomainRequest(String domain) {}

  @GetExchange("/env")
  EnvView env(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * Sets the configuration; a running app gets a revision with it, and the answer waits for its
   * rollout (a 409 {@code rollout-failed} when it failed, the configuration before then back).
   */
  @PutExchange(value = "/env", headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  EnvView setEnv(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody EnvRequest request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/domains")
  DomainsView domains(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Adds a domain, pending until proven. */
  @PostExchange("/domains")
  DomainView addDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody DomainRequest request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Runs the proof of ownership now. */
  @PostExchange("/domains/{domain}/verify")
  DomainView verifyDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String domain,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @DeleteExchange("/domains/{domain}")
  void removeDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String domain,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** One timed stage of a rollout (admission, start, health, route). */
  record RolloutStage(String name, long millis) {}

  /**
   * A revision of an app as runtime-bridge shows it.
   *
   * @param status {@code deploying}, {@code live}, {@code failed}, {@code retired} or {@code
   *     stopped}
   * @param buildNumber the build it was made from, or null (an image deploy)
   * @param liveAt when it went live, or null
   * @param pinned retention keeps its image whatever its age (null: not said)
   * @param imageRemoved retention removed its image: it cannot be rolled back to (null: not said)
   */
  record RevisionView(
      int revision,
      String status,
      String image,
      String digest,
      int replicas,
      int port,
      String buildId,
      Integer buildNumber,
      String commit,
      String reason,
      Instant createdAt,
      Instant finishedAt,
      Instant liveAt,
      List<RolloutStage> stages,
      Boolean pinned,
      Boolean imageRemoved) {}

  /**
   * One process type of the live revision as it runs; {@code running} is null when the runtime
   * could not be asked.
   */
  record ProcessView(String type, String command, int count, Integer running) {}

  /**
   * An app's deployments: where it answers, its live revision, whether it is stopped, its process
   * types and its revisions, newest first.
   */
  record DeploymentsView(
      String url,
      Integer liveRevision,
      boolean stopped,
      List<ProcessView> processes,
      List<RevisionView> revisions) {}

  /** Something that happened to the app; {@code type} is {@code Normal} or {@code Warning}. */
  record AppEvent(Instant time, String type, String reason, String message, Integer revision) {}

  /** The app's latest events, newest first. */
  record EventsView(List<AppEvent> items) {}

  @GetExchange("/deployments")
  DeploymentsView deploymentsView(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/events")
  EventsView events(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * One firing of a cron entry.
   *
   * @param status {@code running}, {@code succeeded}, {@code failed} (a non-zero exit code), {@code
   *     timed-out}, {@code not-completed} (no exit code: refused by the quota, or cut short) or
   *     {@code skipped} (the previous run still ran; {@code reason} says so)
   * @param runId the run it made; null when skipped
   * @param durationMs null while it runs or when skipped
   */
  record CronFiring(
      Instant dueAt,
      String status,
      String runId,
      Integer exitCode,
      Instant startedAt,
      Long durationMs,
      String reason) {}

  /**
   * One of app.json's {@code cron} entries of the live revision.
   *
   * @param id its stable name (from its schedule and command)
   * @param schedule as written in app.json, read in UTC
   * @param nextRunAt when it comes due next; null while the app is stopped
   * @param lastRuns its last firings, newest first
   */
  record CronEntry(
      String id, String schedule, String command, Instant nextRunAt, List<CronFiring> lastRuns) {}

  /**
   * The live revision's cron entries; {@code revision} is null (and {@code entries} empty) when
   * nothing is live.
   */
  record CronList(Integer revision, boolean stopped, String timeZone, List<CronEntry> entries) {}

  /** A one-off run's command, run with {@code /bin/sh -c} in a fresh container. */
  record RunRequest(String command) {}

  /**
   * A one-off run: a developer's or a cron entry's firing.
   *
   * @param runBy who ran it; {@code cron} for a cron entry's firing
   * @param finishedAt null while it runs
   * @param exitCode null while it runs, when it timed out, or when it was cut short
   * @param output its last output (stdout and stderr), at most 64 KiB
   * @param durationMs null while it runs
   * @param cronEntry the cron entry that ran it; null for a developer's run
   */
  record RunView(
      String id,
      int revision,
      String command,
      String runBy,
      Instant startedAt,
      Instant finishedAt,
      Integer exitCode,
      boolean timedOut,
      String output,
      Long durationMs,
      String cronEntry) {}

  /** A page of the app's runs, newest first. */
  record RunPage(List<RunView> items, int page, int size, long total) {}

  /** The live revision's app.json cron entries with their next and last firings (a viewer too). */
  @GetExchange("/cron")
  CronList cron(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * Starts a command once in a fresh container of the live revision and answers at once, with the
   * run still running ({@code Prefer: respond-async}); {@link #run(String, String, String, String,
   * String)} shows how it goes and how it ended (developer role; a viewer is refused with 403).
   */
  @PostExchange(value = "/runs", headers = "Prefer=respond-async")
  RunView startRun(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody RunRequest request,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The app's runs, a developer's and cron's, newest first (a viewer too). */
  @GetExchange("/runs")
  RunPage runs(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int page,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** One run of the app (404 when the app has no such run). */
  @GetExchange("/runs/{id}")
  RunView run(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String id,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * A run's output as Server-Sent Events: {@code log}, one per line from its start, live while it
   * runs, then {@code end} with the run as {@link #run(String, String, String, String, String)}
   * shows it. A stream the caller reads and closes; call it on a client with no read timeout.
   */
  @GetExchange(url = "/runs/{id}/output", accept = "text/event-stream")
  InputStream runOutput(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String id,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * Stops what runs and frees the app's route and domains; the answer waits until the bridge's
   * reconciler has removed it all (204), or says it is still under way (202).
   */
  @DeleteExchange(headers = "Prefer=wait=" + PORTAL_WAIT_SECONDS)
  void delete(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * The live revision's output as Server-Sent Events ({@code log}, one per line): the last {@code
   * tail} lines, then, when following, each new one. A stream the caller reads and closes; call it
   * on a client with no read timeout when following.
   */
  @GetExchange(url = "/logs", accept = "text/event-stream")
  InputStream logs(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int tail,
      @RequestParam boolean follow,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);
}
