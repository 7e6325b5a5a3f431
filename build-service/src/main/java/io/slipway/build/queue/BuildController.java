package io.slipway.build.queue;

import io.slipway.build.tenant.TenantClient;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.kit.web.OpenStreams;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The builds of an app. Whoever may read the tenant in tenant-service (asked with the caller's own
 * token) may read its builds; everyone else gets 404, as tenant-service answers.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/builds")
class BuildController {

  record BuildPage(List<Build> items, int page, int size, long total) {}

  private static final Duration LOG_POLL = Duration.ofMillis(200);

  private final BuildQueue queue;
  private final TenantClient tenants;
  private final AuditRecorder audit;
  private final TransactionTemplate tx;

  private final OpenStreams streams;

  BuildController(
      BuildQueue queue,
      TenantClient tenants,
      AuditRecorder audit,
      TransactionTemplate tx,
      OpenStreams streams) {
    this.streams = streams;
    this.audit = audit;
    this.tx = tx;
    this.queue = queue;
    this.tenants = tenants;
  }

  @GetMapping
  BuildPage list(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    if (page < 0 || size < 1 || size > 200) {
      throw Problem.invalid("invalid-page", "page must be 0 or more and size 1 to 200");
    }
    AppRef ref = readable(caller, tenant, project, app);
    return new BuildPage(queue.list(ref, page, size), page, size, queue.count(ref));
  }

  @GetMapping("/{number}")
  Build one(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number) {
    return queue
        .find(readable(caller, tenant, project, app), number)
        .orElseThrow(() -> Problem.notFound("No build " + number + " of " + app));
  }

  /**
   * Cancels a queued or running build (developer or tenant-admin): 200 with the cancelled build,
   * 409 when it had already ended.
   */
  @PostMapping("/{number}/cancel")
  Build cancel(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number) {
    AppRef ref = readable(caller, tenant, project, app);
    String username = caller.getClaimAsString("preferred_username");
    Role role = username == null ? null : tenants.roleOf(tenant, username).orElse(null);
    if (role == null || !role.atLeast(Role.DEVELOPER)) {
      throw Problem.forbidden(
          "Cancelling a build needs the developer or tenant-admin role in " + tenant);
    }
    Build build =
        queue
            .find(ref, number)
            .orElseThrow(() -> Problem.notFound("No build " + number + " of " + app));
    // the cancellation and its audit event commit together (the outbox is in this database)
    Build cancelled =
        tx.execute(
                status -> {
                  Optional<Build> done = queue.cancel(build.id(), username);
                  done.ifPresent(
                      c ->
                          audit.record(
                              caller,
                              tenant,
                              "build.cancelled",
                              ref.toString(),
                              java.util.Map.of("build", number)));
                  return done;
                })
            .orElseThrow(
                () ->
                    Problem.conflict(
                        "build-ended",
                        "Build "
                            + number
                            + " of "
                            + ref
                            + " has already ended: "
                            + queue.byId(build.id()).map(Build::status).orElse("gone")));
    return cancelled;
  }

  /**
   * The build's log as Server-Sent Events: {@code log} events with one line each, from the start
   * and then as they are written, and a final {@code end} event whose data is the build's status.
   */
  @GetMapping(path = "/{number}/logs", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter logs(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number) {
    AppRef ref = readable(caller, tenant, project, app);
    if (queue.find(ref, number).isEmpty()) {
      throw Problem.notFound("No build " + number + " of " + app);
    }
    SseEmitter emitter = streams.open(caller, Duration.ofHours(1));
    // ended by the client leaving (noticed by a heartbeat) or timing out: stop reading the log
    AtomicBoolean over = new AtomicBoolean();
    emitter.onCompletion(() -> over.set(true));
    emitter.onTimeout(() -> over.set(true));
    emitter.onError(e -> over.set(true));
    Thread.ofVirtual().name("build-log-" + number).start(() -> stream(emitter, over, ref, number));
    return emitter;
  }

  private void stream(SseEmitter emitter, AtomicBoolean over, AppRef ref, int number) {
    int offset = 0;
    StringBuilder partial = new StringBuilder();
    try {
      while (!over.get()) {
        Optional<BuildQueue.LogChunk> chunk = queue.logSince(ref, number, offset);
        if (chunk.isEmpty()) {
          emitter.complete();
          return;
        }
        String text = chunk.get().text();
        offset += text.length();
        partial.append(text);
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
          synchronized (emitter) {
            emitter.send(SseEmitter.event().name("log").data(partial.substring(0, newline)));
          }
          partial.delete(0, newline + 1);
        }
        if (chunk.get().ended() && text.isEmpty()) {
          String status = queue.find(ref, number).map(Build::status).orElse("failed");
          synchronized (emitter) {
            emitter.send(SseEmitter.event().name("end").data(status));
          }
          emitter.complete();
          return;
        }
        if (text.isEmpty()) {
          Thread.sleep(LOG_POLL);
        }
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away
      emitter.completeWithError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      emitter.complete();
    }
  }

  private AppRef readable(Jwt caller, String tenant, String project, String app) {
    if (!tenants.canRead(tenant, caller.getTokenValue())) {
      throw Problem.notFound("No tenant " + tenant);
    }
    return new AppRef(tenant, project, app);
  }
}
