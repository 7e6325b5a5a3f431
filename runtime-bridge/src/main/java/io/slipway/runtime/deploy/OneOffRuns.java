package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.driver.OneOffCommands;
import io.slipway.runtime.driver.OneOffCommands.OneOffResult;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.tenant.AuditEvents;
import io.slipway.runtime.tenant.TenantApi;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * A developer's one-off runs ({@code run <command>}): the command runs with {@code /bin/sh -c} in a
 * fresh container of the app's live revision (its env, secrets, network, limits and hardening, as a
 * release does), up to {@code slipway.runtime.run-timeout}, and is killed there: the caller waits
 * for its end ({@link #run}) or has its row at once while it runs on ({@link #start}). Meanwhile it
 * holds the compute of one instance of the revision in tenant-service, released afterwards however
 * it ended. It does not hold the app: a deploy or scale may happen meanwhile.
 *
 * <p>The run's row and its {@code app.run} audit record are written in one transaction before the
 * container starts; a bridge that stops mid-run leaves the row open, and the reconciler releases
 * its reservation and closes it once it is overdue ({@link #closeOverdue}), as the driver removes
 * its container.
 */
@Component
class OneOffRuns {

  private static final Logger log = LoggerFactory.getLogger(OneOffRuns.class);

  /** The most output a run keeps: its last 64 KiB. */
  static final int MAX_OUTPUT_BYTES = 64 * 1024;

  /** As many lines as podman is asked for; the bytes cap cuts them further. */
  private static final int OUTPUT_LINES = 2000;

  /** Time, after its deadline, for a run's bridge to read its output and remove it. */
  private static final Duration GRACE = Duration.ofMinutes(1);

  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Deployments deployments;
  private final RuntimeDriver driver;
  private final TenantApi tenants;
  private final ChangeAudit audit;
  private final RunStore runs;
  private final Duration timeout;

  OneOffRuns(
      Deployments deployments,
      RuntimeDriver driver,
      TenantApi tenants,
      ChangeAudit audit,
      RunStore runs,
      RuntimeProperties properties) {
    this.deployments = deployments;
    this.driver = driver;
    this.tenants = tenants;
    this.audit = audit;
    this.runs = runs;
    this.timeout = properties.runTimeout();
  }

  /**
   * Runs {@code command} to its end (or its time): 409 when the app has no live revision or is
   * stopped, tenant-service's 409 when one more instance does not fit the quota.
   */
  RunStore.Run run(AppRef ref, String command, Jwt caller) {
    Begun begun = begin(ref, command, caller);
    return execute(begun.commands(), begun.spec(), begun.id(), begun.key(), command, begun.at());
  }

  /**
   * Starts {@code command} as {@link #run} does, refusing it the same way, and returns its row at
   * once, still running; the run goes on in the background and is closed as {@link #run} closes it
   * ({@code GET .../runs/{id}} shows its end).
   */
  RunStore.Run start(AppRef ref, String command, Jwt caller) {
    Begun begun = begin(ref, command, caller);
    RunStore.Run row = runs.find(ref.appId(), begun.id()).orElseThrow();
    Thread.ofVirtual()
        .name("run-" + begun.id())
        .start(
            () -> {
              try {
                execute(
                    begun.commands(), begun.spec(), begun.id(), begun.key(), command, begun.at());
              } catch (RuntimeException e) {
                // its row says so already: nobody waits for this answer
                log.warn("Run {} of {} could not run: {}", begun.id(), ref, e.getMessage());
              }
            });
    return row;
  }

  /** A run whose quota is held and whose row and audit record are written: ready to execute. */
  private record Begun(OneOffCommands commands, AppSpec spec, String id, String key, Instant at) {}

  private Begun begin(AppRef ref, String command, Jwt caller) {
    if (!(driver instanceof OneOffCommands commands)) {
      throw Problem.unavailable("this runtime does not run one-off commands");
    }
    AppSpec spec = deployments.requireRunning(ref).spec();
    String id = newId();
    String key = reservationKey(ref, id);
    tenants.reserve(ref, key, new TenantApi.Compute(spec.cpuMillicores(), spec.memoryMib(), 1));
    Instant started = Instant.now();
    try {
      audit.recorded(
          ref,
          new ChangeAudit.Intent(
              caller,
              "app.run",
              Map.of("command", command, "revision", spec.revision(), "run", id)),
          () ->
              runs.started(
                  id,
                  ref.appId(),
                  ref.tenant(),
                  spec.revision(),
                  command,
                  AuditEvents.actor(caller),
                  started,
                  deadline(started),
                  key,
                  null));
    } catch (RuntimeException e) {
      tenants.release(ref.tenant(), key);
      throw e;
    }
    return new Begun(commands, spec, id, key, started);
  }

  /**
   * Runs a command whose row is already written (a cron entry's firing, {@link CronScheduler}) to
   * its end, as {@link #run} does: reserves one instance first, and closes the row as not run when
   * that does not fit the quota or the runtime has no one-off commands. Blocks until it ended.
   *
   * @throws RuntimeException when the runtime could not run it (the row is closed saying so)
   */
  RunStore.Run runRecorded(AppSpec spec, String id, String command) {
    AppRef ref = spec.ref();
    String key = reservationKey(ref, id);
    if (!(driver instanceof OneOffCommands commands)) {
      return finish(
          ref, id, key, null, false, "not run: this runtime does not run one-off commands");
    }
    try {
      tenants.reserve(ref, key, new TenantApi.Compute(spec.cpuMillicores(), spec.memoryMib(), 1));
    } catch (RuntimeException e) {
      return finish(ref, id, key, null, false, "not run: " + e.getMessage());
    }
    return execute(commands, spec, id, key, command, Instant.now());
  }

  private RunStore.Run execute(
      OneOffCommands commands,
      AppSpec spec,
      String id,
      String key,
      String command,
      Instant started) {
    AppRef ref = spec.ref();
    OneOffResult result;
    try {
      result = commands.run(spec, id, command, timeout, OUTPUT_LINES);
    } catch (RuntimeException e) {
      finish(ref, id, key, null, false, "the runtime could not run the command: " + e.getMessage());
      throw Problem.unavailable("the runtime could not run the command: " + e.getMessage());
    }
    // no exit code before the time was up: removed behind its back (its app deleted meanwhile)
    boolean timedOut =
        result.exitCode() == null
            && Duration.between(started, Instant.now()).compareTo(timeout) >= 0;
    return finish(ref, id, key, result.exitCode(), timedOut, result.output());
  }

  /** The tenant-service reservation key a run holds its instance under. */
  static String reservationKey(AppRef ref, String runId) {
    return "rt:" + ref.appId() + ":run:" + runId;
  }

  /** When a run that started at {@code started} is overdue: its bridge stopped seeing to it. */
  Instant deadline(Instant started) {
    return started.plus(timeout).plus(GRACE);
  }

  private RunStore.Run finish(
      AppRef ref, String id, String key, Integer exitCode, boolean timedOut, String output) {
    try {
      tenants.release(ref.tenant(), key);
    } catch (RuntimeException e) {
      // the reconciler cannot find it once the row is closed: say so loudly
      log.error("Releasing run {} of {} ({}) failed: {}", id, ref, key, e.getMessage());
    }
    return runs.finished(id, Instant.now(), exitCode, timedOut, lastBytes(output));
  }

  /**
   * Runs whose bridge stopped while they ran: their reservation is released and they are closed as
   * cut short. A release that fails leaves the run open for the next pass.
   */
  void closeOverdue() {
    for (RunStore.Unfinished run : runs.overdue(Instant.now())) {
      try {
        if (run.reservationKey() != null) {
          tenants.release(run.tenant(), run.reservationKey());
        }
        runs.finished(
            run.id(), Instant.now(), null, false, "the bridge stopped while the command ran");
        log.info("Closed run {}, cut short when its bridge stopped", run.id());
      } catch (RuntimeException e) {
        log.warn(
            "Closing run {} failed; trying again on the next pass: {}", run.id(), e.getMessage());
      }
    }
  }

  /** The last {@value #MAX_OUTPUT_BYTES} bytes of {@code output}, cut at a character. */
  static String lastBytes(String output) {
    byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_OUTPUT_BYTES) {
      return output;
    }
    int from = bytes.length - MAX_OUTPUT_BYTES;
    while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
      from++; // a continuation byte: start at the next whole character
    }
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }

  /** A new run id: 12 lower-case letters and digits, what a container name may carry. */
  static String newId() {
    char[] id = new char[12];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
    }
    return new String(id);
  }
}
