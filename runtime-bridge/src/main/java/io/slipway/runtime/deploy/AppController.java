package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.domain.PlatformDomains;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.AuditEvents;
import jakarta.validation.Valid;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An app's configuration, domains, lifecycle, logs and events. Access as for deployments: a viewer
 * may read, a developer or more may change, anyone else gets 404.
 *
 * <p>Each change is audited right after it is made, within the same request, not in one transaction
 * with it: a change here is containers and routes as much as rows (a configuration change rolls out
 * a revision and is put back if that fails), so its outcome, which the event records, is known only
 * at the end. The event goes to the outbox before the response, so a change the caller saw succeed
 * is audited even while tenant-service is down.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}")
class AppController {

  private static final int MAX_EVENTS = 100;
  private static final int MAX_TAIL = 10_000;

  private final AppLifecycle lifecycle;
  private final AppAccess access;
  private final AppStatus status;
  private final EventLog events;
  private final DeploymentStore store;
  private final RuntimeDriver driver;
  private final AuditEvents audit;
  private final DomainClaims domains;
  private final PlatformDomains platform;

  AppController(
      AppLifecycle lifecycle,
      AppAccess access,
      AppStatus status,
      EventLog events,
      DeploymentStore store,
      RuntimeDriver driver,
      AuditEvents audit,
      DomainClaims domains,
      PlatformDomains platform) {
    this.audit = audit;
    this.domains = domains;
    this.platform = platform;
    this.lifecycle = lifecycle;
    this.access = access;
    this.status = status;
    this.events = events;
    this.store = store;
    this.driver = driver;
  }

  @GetMapping("/env")
  Views.EnvView env(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    return Views.EnvView.of(lifecycle.config(access(tenant, project, app, caller, false)));
  }

  @PutMapping("/env")
  Views.EnvView setEnv(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.EnvRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    Map<String, String> secrets = request.secrets() == null ? Map.of() : request.secrets();
    Views.EnvView view = Views.EnvView.of(lifecycle.configure(ref, request.env(), secrets));
    // names only: values (and above all secret values) never reach the audit trail
    audit.app(caller, ref, "env.updated", Map.of("env", new TreeSet<>(request.env().keySet())));
    if (!secrets.isEmpty()) {
      Map<String, Object> changed = new LinkedHashMap<>();
      changed.put(
          "set",
          secrets.entrySet().stream()
              .filter(e -> e.getValue() != null)
              .map(Map.Entry::getKey)
              .sorted()
              .toList());
      changed.put(
          "removed",
          secrets.entrySet().stream()
              .filter(e -> e.getValue() == null)
              .map(Map.Entry::getKey)
              .sorted()
              .toList());
      audit.app(caller, ref, "secrets.updated", changed);
    }
    return view;
  }

  @GetMapping("/domains")
  Views.DomainsView domains(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    return new Views.DomainsView(
        Views.DomainView.of(domains.claims(access(tenant, project, app, caller, false))));
  }

  /**
   * Claims a custom domain: 201 with the pending claim and how to prove it. Not routed until
   * verified. 422 {@code platform-domain} for the platform's own names.
   */
  @PostMapping("/domains")
  @ResponseStatus(HttpStatus.CREATED)
  Views.DomainView addDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.DomainRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    String domain = DomainNames.normalize(request.domain());
    platform.requireClaimable(domain);
    Views.DomainView claim = Views.DomainView.of(domains.add(ref, domain));
    audit.app(caller, ref, "domain.added", Map.of("domain", domain));
    return claim;
  }

  /** Runs the proof: 200 verified (and routed), 422 with the reason, 409 when taken. */
  @PostMapping("/domains/{domain}/verify")
  Views.DomainView verifyDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String domain,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    String name = domain.strip().toLowerCase(Locale.ROOT);
    try {
      Views.DomainView verified = Views.DomainView.of(domains.verify(ref, name));
      audit.app(caller, ref, "domain.verified", Map.of("domain", name));
      return verified;
    } catch (Problem refused) {
      if (refused.status().value() != 404) {
        audit.app(
            caller,
            ref,
            "domain.verification-failed",
            Map.of("domain", name, "reason", String.valueOf(refused.getMessage())));
      }
      throw refused;
    }
  }

  @DeleteMapping("/domains/{domain}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void removeDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String domain,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    String removed = domain.strip().toLowerCase(Locale.ROOT);
    domains.remove(ref, removed);
    audit.app(caller, ref, "domain.removed", Map.of("domain", removed));
  }

  @PostMapping("/stop")
  Views.AppStatusView stop(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    lifecycle.stop(ref);
    audit.app(caller, ref, "app.stopped", Map.of());
    return status.of(ref);
  }

  @PostMapping("/start")
  Views.AppStatusView start(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    lifecycle.start(ref);
    audit.app(caller, ref, "app.started", Map.of());
    return status.of(ref);
  }

  @PostMapping("/restart")
  Views.AppStatusView restart(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    lifecycle.restart(ref);
    audit.app(caller, ref, "app.restarted", Map.of());
    return status.of(ref);
  }

  @DeleteMapping
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    lifecycle.delete(ref);
    audit.app(caller, ref, "app.removed", Map.of());
  }

  @GetMapping("/events")
  Views.EventsView events(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    return new Views.EventsView(
        events.latest(access(tenant, project, app, caller, false), MAX_EVENTS));
  }

  /**
   * The live revision's output, one {@code log} event per line: the last {@code tail} lines of each
   * instance, then, when following, each new line until the instances stop or the client leaves. An
   * app with nothing running answers an empty stream.
   */
  @GetMapping(path = "/logs", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter logs(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "100") int tail,
      @RequestParam(defaultValue = "false") boolean follow,
      @AuthenticationPrincipal Jwt caller) {
    if (tail < 0 || tail > MAX_TAIL) {
      throw Problem.invalid(
          "invalid-tail", "tail must be 0 to " + MAX_TAIL + " lines, was " + tail);
    }
    AppRef ref = access(tenant, project, app, caller, false);
    SseEmitter emitter = new SseEmitter(Duration.ofHours(1).toMillis());
    Optional<RevisionRecord> live = store.live(ref);
    if (live.isEmpty() || store.stopped(ref) || !(driver instanceof LogSource source)) {
      emitter.complete();
      return emitter;
    }
    LogSource.LogStream stream =
        source.stream(
            ref,
            live.get().spec().revision(),
            tail,
            follow,
            line -> {
              synchronized (emitter) {
                try {
                  emitter.send(SseEmitter.event().name("log").data(line));
                } catch (IOException e) {
                  throw new IllegalStateException("the client went away", e);
                }
              }
            });
    emitter.onCompletion(stream::close);
    emitter.onTimeout(stream::close);
    emitter.onError(e -> stream.close());
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                stream.await();
                emitter.complete();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stream.close();
              }
            });
    return emitter;
  }

  private AppRef access(String tenant, String project, String app, Jwt caller, boolean change) {
    return access.require(tenant, project, app, caller, change);
  }
}
