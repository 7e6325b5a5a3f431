package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.web.OpenStreams;
import io.slipway.runtime.domain.PlatformDomains;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.ProcessTypes;
import jakarta.validation.Valid;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An app's configuration, domains, lifecycle, logs and events. Access as for deployments: a viewer
 * may read, a developer or more may change, anyone else gets 404.
 *
 * <p>Each change is audited in the transaction that writes its own row (the configuration, the
 * stopped flag, a revision, a domain claim), before containers or routes are touched, so a crash
 * can only leave a recorded intent; an outcome other than what was asked (a rollout that failed) is
 * recorded on its own ({@link ChangeAudit}). Events go to the outbox, so a change is audited even
 * while tenant-service is down.
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
  private final DomainClaims domains;
  private final PlatformDomains platform;
  private final ChangeAnswers answers;
  private final AppChangeStore changes;

  private final OpenStreams streams;

  AppController(
      AppLifecycle lifecycle,
      AppAccess access,
      AppStatus status,
      EventLog events,
      DeploymentStore store,
      RuntimeDriver driver,
      DomainClaims domains,
      PlatformDomains platform,
      ChangeAnswers answers,
      AppChangeStore changes,
      OpenStreams streams) {
    this.streams = streams;
    this.answers = answers;
    this.changes = changes;
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
    AppRef ref = access(tenant, project, app, caller, false);
    return Views.EnvView.of(lifecycle.config(ref), lifecycle.previewSecrets(ref));
  }

  /**
   * Marks one of the app's secrets {@code preview: true} or not (issue 25): a preview of the app
   * gets the parent's secrets only when so marked. 404 when the app has no secret of that name.
   */
  @PutMapping("/secrets/{name}")
  Views.SecretView markSecret(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String name,
      @Valid @RequestBody Views.SecretRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    boolean preview = request.preview();
    if (!lifecycle.markPreview(
        ref,
        name,
        preview,
        new ChangeAudit.Intent(
            caller, "secret.preview.updated", Map.of("secret", name, "preview", preview)))) {
      throw Problem.notFound(
          "Secret '"
              + name
              + "' of app "
              + ref
              + " does not exist; set it with PUT .../env first, then mark it");
    }
    return new Views.SecretView(name, preview);
  }

  /**
   * A new configuration: stored at once for an app that does not run (200); for one that does,
   * accepted with the revision that runs it ({@link AppLifecycle#configure}): 202 with a {@code
   * Location} to that revision, or within {@code Prefer: wait=<seconds>} 200 once it is live and
   * 409 {@code rollout-failed} with the reason when it failed (the configuration before is then
   * back). A name that is not valid is 400 at once, a revision beyond the quota 409 at once.
   */
  @PutMapping("/env")
  ResponseEntity<Views.EnvView> setEnv(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.EnvRequest request,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    Map<String, String> secrets = request.secrets() == null ? Map.of() : request.secrets();
    // names only: values (and above all secret values) never reach the audit trail
    List<ChangeAudit.Intent> intents = new ArrayList<>();
    intents.add(
        new ChangeAudit.Intent(
            caller, "env.updated", Map.of("env", new TreeSet<>(request.env().keySet()))));
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
      intents.add(new ChangeAudit.Intent(caller, "secrets.updated", changed));
    }
    AppChanges.Accepted accepted = lifecycle.configure(ref, request.env(), secrets, intents);
    return answers.answer(
        ref,
        accepted,
        prefer,
        ChangeAnswers.ROLLOUT_FAILED,
        () -> Views.EnvView.of(lifecycle.config(ref), lifecycle.previewSecrets(ref)));
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
    return Views.DomainView.of(domains.add(ref, domain, caller));
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
    return Views.DomainView.of(domains.verify(ref, name, caller));
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
    domains.remove(ref, removed, caller);
  }

  /**
   * Stop, start and restart are accepted ({@link AppLifecycle}) and carried out by the reconciler:
   * 202 with a {@code Location} to poll, or 200 once done within {@code Prefer: wait=<seconds>}
   * ({@link ChangeAnswers}); a start whose instances never got healthy is then a 409 {@code
   * unhealthy}.
   */
  @PostMapping("/stop")
  ResponseEntity<Views.AppStatusView> stop(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    AppChanges.Accepted accepted =
        lifecycle.stop(ref, new ChangeAudit.Intent(caller, "app.stopped", Map.of()));
    return answers.answer(ref, accepted, prefer, ChangeAnswers.UNHEALTHY, () -> status.of(ref));
  }

  @PostMapping("/start")
  ResponseEntity<Views.AppStatusView> start(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    AppChanges.Accepted accepted =
        lifecycle.start(ref, new ChangeAudit.Intent(caller, "app.started", Map.of()));
    return answers.answer(ref, accepted, prefer, ChangeAnswers.UNHEALTHY, () -> status.of(ref));
  }

  /** A restart's failed revision leaves the live one serving: answered 200 with the status. */
  @PostMapping("/restart")
  ResponseEntity<Views.AppStatusView> restart(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    AppChanges.Accepted accepted =
        lifecycle.restart(ref, new ChangeAudit.Intent(caller, "app.restarted", Map.of()));
    return answers.answer(ref, accepted, prefer, null, () -> status.of(ref));
  }

  /**
   * A scale, stop or start of the app, as its {@code Location} names it: {@code pending} until the
   * reconciler applied it, then {@code applied}, or {@code failed} with the reason.
   */
  @GetMapping("/changes/{change}")
  Views.ChangeView change(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int change,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, false);
    return changes
        .state(ref, change)
        .map(Views.ChangeView::of)
        .orElseThrow(() -> Problem.notFound("Change", ref + "/" + change));
  }

  /**
   * Deletes the app: accepted (marked deleting, audited) and carried out by the reconciler ({@link
   * AppLifecycle#acceptDeletion}): 202 with a {@code Location} to {@code .../deletion}, or 204 once
   * gone within {@code Prefer: wait=<seconds>}; 204 at once when the bridge holds nothing of it.
   */
  @DeleteMapping
  ResponseEntity<Void> delete(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, true);
    if (!lifecycle.acceptDeletion(ref, new ChangeAudit.Intent(caller, "app.removed", Map.of()))) {
      return ResponseEntity.noContent().build();
    }
    return answers.deletion(ref, prefer);
  }

  /**
   * An accepted deletion of the app, as its {@code Location} names it: {@code deleting} until the
   * reconciler carried it out, then 404 (as for an app never being deleted).
   */
  @GetMapping("/deletion")
  Views.DeletionView deletion(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access(tenant, project, app, caller, false);
    if (!store.deleting(ref)) {
      throw Problem.notFound("No deletion of app " + ref + " is under way");
    }
    return new Views.DeletionView("deleting");
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
   * instance of the process type {@code process} ({@code web} unless named), then, when following,
   * each new line until the instances stop or the client leaves. An app with nothing running
   * answers an empty stream.
   */
  @GetMapping(path = "/logs", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter logs(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "100") int tail,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(defaultValue = ProcessTypes.WEB) String process,
      @AuthenticationPrincipal Jwt caller) {
    if (tail < 0 || tail > MAX_TAIL) {
      throw Problem.invalid(
          "invalid-tail", "tail must be 0 to " + MAX_TAIL + " lines, was " + tail);
    }
    if (!ProcessTypes.validName(process)) {
      throw Problem.invalid(
          "invalid-process", "process must be a process type: 1 to 63 letters, digits, '_' or '-'");
    }
    AppRef ref = access(tenant, project, app, caller, false);
    Optional<RevisionRecord> live = store.live(ref);
    boolean nothingRuns = live.isEmpty() || store.stopped(ref);
    SseEmitter emitter = streams.open(caller, Duration.ofHours(1));
    if (nothingRuns || !(driver instanceof LogSource source)) {
      emitter.complete();
      return emitter;
    }
    LogSource.LogStream stream =
        source.stream(
            ref,
            live.get().spec().revision(),
            process,
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
