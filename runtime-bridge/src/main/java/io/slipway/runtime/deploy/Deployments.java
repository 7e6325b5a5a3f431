package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.admission.ImageAdmission;
import io.slipway.runtime.admission.ImageRefusedException;
import io.slipway.runtime.driver.ImagePorts;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppManifest;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessSpec;
import io.slipway.runtime.model.ProcessTypes;
import io.slipway.runtime.rollout.ReleasePlan;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.rollout.RolloutResult;
import io.slipway.runtime.rollout.RolloutResult.Stage;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.tenant.TenantApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Deploys, rolls back and scales apps: admits the compute against tenant-service first (one
 * reservation per revision and replica count), records the revision, rolls it out, and releases
 * what the previous revision held once the new one is live (or the new one's when it failed). One
 * operation per app at a time; every outcome is written to the app's {@link EventLog}. A caller's
 * change is audited with its revision's row, before anything runs ({@link ChangeAudit}).
 */
@Service
public class Deployments {

  private static final Logger log = LoggerFactory.getLogger(Deployments.class);

  /** What an accept writes besides its revision, given its number: for most, nothing. */
  private static final IntConsumer NOTHING_MORE = revision -> {};

  private final DeploymentStore store;
  private final AppConfigStore configs;
  private final EventLog events;
  private final Rollout rollout;
  private final TenantApi tenants;
  private final RuntimeDriver driver;
  private final ImageAdmission admission;
  private final ChangeAudit audit;
  private final AppRoutes routes;
  private final AppLeases leases;
  private final AcceptLocks accepts;
  private final AppChangeStore changes;
  private final ZeroStore zero;
  private final Map<AppRef, ReentrantLock> locks = new ConcurrentHashMap<>();

  Deployments(
      DeploymentStore store,
      AppConfigStore configs,
      EventLog events,
      Rollout rollout,
      TenantApi tenants,
      RuntimeDriver driver,
      ImageAdmission admission,
      ChangeAudit audit,
      AppRoutes routes,
      AppLeases leases,
      AcceptLocks accepts,
      AppChangeStore changes,
      ZeroStore zero) {
    this.changes = changes;
    this.zero = zero;
    this.leases = leases;
    this.accepts = accepts;
    this.audit = audit;
    this.routes = routes;
    this.store = store;
    this.configs = configs;
    this.events = events;
    this.rollout = rollout;
    this.tenants = tenants;
    this.driver = driver;
    this.admission = admission;
  }

  /** The outcome of a deploy: the revision, and whether this call made it (false: a replay). */
  record Deployed(RevisionRecord revision, boolean created) {}

  /**
   * Accepts a new revision with the app's configuration, which the reconciler then rolls out
   * ({@link #carryOutAccepted}); environment variables in the request are added to that
   * configuration first (they replace variables of the same name). What can be refused is refused
   * here, before anything is recorded: the image policy, labels that are not valid, app.json's
   * required variables, the quota.
   */
  Deployed deploy(AppRef ref, DeployRequest request, ChangeAudit.Intent intent) {
    return deploy(ref, request, BuildOrigin.of(request), intent);
  }

  /**
   * Promotes what {@code source} runs to {@code target}, another app of the same tenant, without a
   * rebuild: the live revision's image by its digest (so its SBOM, scan and signature, kept by
   * digest, go with it) and its build's number and commit. The target keeps its own configuration,
   * and its own size and replicas once it runs; a first promotion sizes it as the source. The image
   * is admitted as any deploy of the target is, under its project's policy. The audit records the
   * source app and the revision promoted.
   *
   * @throws Problem 409 {@code nothing-live} when the source runs nothing, {@code not-pinned} when
   *     what it runs has no digest to promote
   */
  Deployed promote(AppRef source, AppRef target, ChangeAudit.Intent intent) {
    RevisionRecord from =
        store
            .live(source)
            .orElseThrow(
                () ->
                    Problem.conflict(
                        "nothing-live",
                        "App "
                            + source.project()
                            + "/"
                            + source.app()
                            + " runs nothing to promote: deploy it first"));
    AppSpec image = from.spec();
    if (image.digest() == null) {
      throw Problem.conflict(
          "not-pinned",
          "Revision "
              + image.revision()
              + " of "
              + source.project()
              + "/"
              + source.app()
              + " names its image by tag only; promotion moves an image by its digest: deploy it"
              + " again with image admission on, then promote");
    }
    AppSpec size = store.live(target).map(RevisionRecord::spec).orElse(image);
    DeployRequest request =
        new DeployRequest(
            image.image(),
            image.digest(),
            size.replicas(),
            image.port(),
            size.memoryMib(),
            size.cpuMillicores(),
            null,
            image.healthPath(),
            null,
            image.runAsUser(),
            image.readOnlyRootFilesystem(),
            null,
            null,
            null);
    BuildOrigin build =
        from.buildId() == null
            ? null
            : new BuildOrigin(from.buildId(), from.buildNumber(), from.commit());
    return deploy(
        target,
        request,
        build,
        intent.with(
            Map.of(
                "from", source.project() + "/" + source.app(), "fromRevision", image.revision())));
  }

  /**
   * A deploy of {@code request}, carrying {@code build} (null: none); a request naming a build
   * already deployed to the app answers that revision.
   */
  private Deployed deploy(
      AppRef ref, DeployRequest request, BuildOrigin build, ChangeAudit.Intent intent) {
    return accepting(
        ref,
        () -> {
          if (request.buildId() != null) {
            Optional<RevisionRecord> earlier = store.byBuildId(ref, request.buildId());
            if (earlier.isPresent()) {
              return new Deployed(earlier.get(), false);
            }
          }
          int revision = store.nextRevision(ref);
          if (Boolean.TRUE.equals(request.fork())) {
            configs.markFork(ref);
          }
          AppConfigStore.Config config = configs.forRevision(ref, configs.config(ref));
          if (request.env() != null && !request.env().isEmpty()) {
            config.env().putAll(request.env());
            config.secrets().keySet().removeAll(request.env().keySet());
          }
          long admitting = System.nanoTime();
          AppSpec admitted =
              admitted(ref, () -> admission.admitDeploy(spec(ref, revision, request, config)));
          AppSpec ported = request.port() == null ? onImagePort(admitted) : admitted;
          ImageDeclarations declared = ImageDeclarations.read(driver, ported, events);
          AppSpec spec = withProcessTypes(ported, declared);
          requireEnv(ref, declared.manifest(), config);
          if (store.live(ref).isEmpty()) {
            spec = declared.firstFormation(spec, request.replicas() == null);
          }
          if (request.healthPath() == null && declared.manifest().healthcheck() != null) {
            spec = spec.withHealthPath(declared.manifest().healthcheck().path());
          } else if (request.healthPath() == null && declared.function() != null) {
            // a function's runtime answers nothing but its own paths: / would be 404
            spec = spec.withHealthPath(FunctionImages.HEALTH_PATH);
          }
          long admittedMillis = (System.nanoTime() - admitting) / 1_000_000;
          if (request.env() != null && !request.env().isEmpty()) {
            configs.save(ref, config); // only once the image is admitted
          }
          String what = build == null ? "" : " from " + build.describe();
          return new Deployed(
              accept(
                  spec,
                  build,
                  intents(intent),
                  Acceptance.of("Deployed", what, admittedMillis, true, intent, liveFormation(ref)),
                  NOTHING_MORE),
              true);
        });
  }

  /**
   * Accepts revision {@code revision}'s image and resources again as a new revision with the app's
   * current configuration (no release phase), for the reconciler to roll out.
   */
  RevisionRecord rollback(AppRef ref, int revision, ChangeAudit.Intent intent) {
    return accepting(
        ref,
        () -> {
          AppSpec old =
              store
                  .revision(ref, revision)
                  .orElseThrow(() -> Problem.notFound("Revision", ref + "/" + revision))
                  .spec();
          AppConfigStore.Config config = configs.forRevision(ref, configs.config(ref));
          long admitting = System.nanoTime();
          AppSpec again =
              admitted(
                  ref,
                  () ->
                      admission.admitRollback(
                          old.asRevision(store.nextRevision(ref), config.env(), config.secrets())
                              .withProcesses(formation(old.processes(), ref))));
          return accept(
              again,
              null,
              intents(intent),
              Acceptance.of(
                  "Deployed",
                  " (a rollback to revision " + revision + ")",
                  (System.nanoTime() - admitting) / 1_000_000,
                  false,
                  intent,
                  liveFormation(ref)),
              NOTHING_MORE);
        });
  }

  /**
   * Accepts a new count for one process type of the live revision ({@code web}, or another of its
   * types) as the app's desired formation, for the reconciler to apply ({@link AppChanges}); the
   * change's number and the revision scaled. The quota is checked here, so a scale beyond it is
   * refused at once. Up: the added instances are reserved as one more reservation, so what runs
   * stays held throughout. Down: what the revision holds is released and the smaller total reserved
   * again (which fits, unless another reservation took the room in between: then the revision runs
   * unreserved and a warning is logged). An app at zero holds nothing, and runs once scaled: its
   * whole new total is reserved. A type the live revision does not run is 404.
   */
  Scaled scale(AppRef ref, String type, int count, ChangeAudit.Intent intent) {
    return locked(
        ref,
        () -> {
          RevisionRecord live = requireRunning(ref);
          AppSpec current = live.spec();
          boolean web = ProcessTypes.WEB.equals(type);
          if (!web && !current.processes().containsKey(type)) {
            throw Problem.notFound(
                "The live revision "
                    + current.revision()
                    + " of "
                    + ref
                    + " has no process type '"
                    + type
                    + "' (its image's Procfile declares "
                    + (current.processes().isEmpty()
                        ? "none but web"
                        : String.join(", ", current.processes().keySet()) + " besides web")
                    + ")");
          }
          AppSpec scaled = web ? current.withReplicas(count) : current.withCount(type, count);
          int before = web ? current.replicas() : current.processes().get(type).count();
          int generation = store.generation(ref) + 1;
          List<String> keys = new ArrayList<>(live.reservationKeys());
          if (zero.atZero(current)) {
            // at zero it holds nothing (ScaleToZero gave it back); scaled, it runs: all of it
            keys.forEach(key -> release(ref, key));
            keys.clear();
            reserve(scaled, generation).ifPresent(keys::add);
          } else if (scaled.instances() > current.instances()) {
            reserve(scaled, scaled.instances() - current.instances(), generation)
                .ifPresent(keys::add);
          } else if (scaled.instances() < current.instances()) {
            keys.forEach(key -> release(ref, key));
            keys.clear();
            try {
              reserve(scaled, generation).ifPresent(keys::add);
            } catch (Problem refused) {
              log.warn(
                  "{} scaled {} down to {} without a reservation: {}",
                  ref,
                  type,
                  count,
                  refused.getMessage());
            }
          }
          String message =
              "Scaled "
                  + (web ? "" : type + " of ")
                  + "revision "
                  + scaled.revision()
                  + " from "
                  + before
                  + " to "
                  + count
                  + (web ? " replicas" : "");
          Acceptance accepted = Acceptance.of(AppChanges.SCALED, message, 0, false, intent);
          int change =
              audit.recorded(
                  ref,
                  intent == null ? null : intent.with(details(scaled, live.buildId())),
                  () -> {
                    store.scaled(scaled, keys);
                    return changes.desire(ref, accepted);
                  });
          return new Scaled(change, scaled.revision());
        });
  }

  /** An accepted scale: the change's number, and the revision whose counts it changed. */
  record Scaled(int change, int revision) {}

  /** The live revision of a running app; 409 when there is none or the app is stopped. */
  RevisionRecord requireRunning(AppRef ref) {
    RevisionRecord live = requireLive(ref);
    if (store.stopped(ref)) {
      throw Problem.conflict("app-stopped", "App " + ref + " is stopped; start it first");
    }
    return live;
  }

  RevisionRecord requireLive(AppRef ref) {
    if (store.deleting(ref)) {
      throw DeploymentStore.beingDeleted(ref);
    }
    return store
        .live(ref)
        .orElseThrow(
            () -> Problem.conflict("not-deployed", "App " + ref + " has no live revision"));
  }

  /**
   * Accepts the app's newest accepted spec ({@link DeploymentStore#newestAccepted}: a pushed image
   * still waiting, else what is rolling out or live) again as a new revision with this
   * configuration, for the reconciler to roll out as {@code event} (the start of a stopped app
   * whose configuration changed); made from the live spec instead, it would supersede a waiting
   * image that then never runs.
   */
  RevisionRecord acceptAgain(
      AppRef ref,
      AppConfigStore.Config config,
      String event,
      IntFunction<String> what,
      ChangeAudit.Intent intent) {
    return accepting(ref, () -> again(ref, config, event, what, intents(intent), NOTHING_MORE));
  }

  /**
   * Accepts a restart of the running app: its newest accepted spec as a new revision. When a
   * revision is already pending, that one is the answer and nothing new is accepted: its rollout
   * replaces every instance anyway.
   */
  RevisionRecord acceptRestart(AppRef ref, ChangeAudit.Intent intent) {
    return accepting(
        ref,
        () ->
            store
                .pending(ref)
                .map(DeploymentStore.Pending::revision)
                .orElseGet(
                    () ->
                        again(
                            ref,
                            null,
                            "Restarted",
                            base -> " (a restart of revision " + base + ")",
                            intents(intent),
                            NOTHING_MORE)));
  }

  /**
   * Accepts a new configuration of the app: stored, in the transaction that records its revision
   * (the newest accepted spec with it) for the reconciler to roll out. The revision keeps the
   * configuration stored before, which a failed rollout puts back ({@link #putConfigBack}).
   */
  RevisionRecord acceptConfiguration(
      AppRef ref,
      AppConfigStore.Config config,
      AppConfigStore.Config before,
      List<ChangeAudit.Intent> intents) {
    return accepting(
        ref,
        () ->
            again(
                ref,
                config,
                "Deployed",
                base -> " (revision " + base + " with the configuration changed)",
                intents,
                revision -> {
                  configs.save(ref, config);
                  configs.keepBefore(ref, revision, before);
                }));
  }

  /**
   * Before a configuration change's revision is marked failed: the configuration stored before the
   * change is put back, unless the stored one is no longer the one that failed (a newer change
   * wins). Under the accept lock, which every change of the configuration takes.
   */
  void putConfigBack(AppSpec failed) {
    AppRef ref = failed.ref();
    configs
        .before(ref, failed.revision())
        .ifPresent(
            before ->
                accepting(
                    ref,
                    () -> {
                      AppConfigStore.Config now = configs.forRevision(ref, configs.config(ref));
                      if (now.env().equals(failed.env())
                          && now.secrets().equals(failed.secrets())) {
                        configs.save(ref, before);
                        events.warning(
                            ref,
                            "ConfigurationRestored",
                            "Revision "
                                + failed.revision()
                                + " failed; the configuration before it is back",
                            failed.revision());
                      }
                      return null;
                    }));
  }

  /**
   * The app's newest accepted spec as revision of its own, with {@code config} (null: the spec's
   * own environment and secrets). It keeps what the newest one was accepted with when that one is
   * still pending (its release phase, the formation its counts were made against), since it
   * supersedes it; else its counts are the formation.
   */
  private RevisionRecord again(
      AppRef ref,
      AppConfigStore.Config config,
      String event,
      IntFunction<String> what,
      List<ChangeAudit.Intent> intents,
      IntConsumer alongside) {
    DeploymentStore.Pending newest =
        store
            .newestAccepted(ref)
            .orElseThrow(
                () -> Problem.conflict("not-deployed", "App " + ref + " has no live revision"));
    AppSpec base = newest.revision().spec();
    boolean waiting = RevisionRecord.PENDING.equals(newest.revision().status());
    int revision = store.nextRevision(ref);
    AppConfigStore.Config runs = config == null ? null : configs.forRevision(ref, config);
    AppSpec spec =
        runs == null
            ? base.asRevision(revision, base.env(), base.secrets())
            : base.asRevision(revision, runs.env(), runs.secrets());
    return accept(
        spec,
        null,
        intents,
        Acceptance.of(
            event,
            what.apply(base.revision()),
            0,
            waiting && newest.acceptance().release(),
            intents.isEmpty() ? null : intents.getFirst(),
            waiting ? newest.acceptance().formation() : counts(base)),
        alongside);
  }

  /**
   * Reserves the compute of an admitted revision and records it as accepted (status {@code
   * pending}), with the caller's intent in the audit trail, for the reconciler to roll out. Older
   * revisions of the app still pending are superseded by it: never rolled out, their reservations
   * released.
   */
  private RevisionRecord accept(
      AppSpec spec,
      BuildOrigin build,
      List<ChangeAudit.Intent> intents,
      Acceptance acceptance,
      IntConsumer alongside) {
    AppRef ref = spec.ref();
    long reserving = System.nanoTime();
    Optional<String> key = reserve(spec, store.generation(ref));
    Acceptance accepted = acceptance.plusMillis((System.nanoTime() - reserving) / 1_000_000);
    List<ChangeAudit.Intent> audited = new ArrayList<>(intents);
    if (!audited.isEmpty()) {
      audited.set(0, audited.getFirst().with(details(spec, build == null ? null : build.id())));
    }
    List<RevisionRecord> superseded;
    try {
      superseded =
          audit.together(
              ref,
              audited,
              () -> {
                store.insertPending(spec, build, key.orElse(null), accepted);
                alongside.accept(spec.revision());
                return store.supersede(ref, spec.revision());
              });
    } catch (RuntimeException e) {
      key.ifPresent(k -> release(ref, k));
      throw e;
    }
    for (RevisionRecord older : superseded) {
      older.reservationKeys().forEach(k -> release(ref, k));
      events.normal(
          ref,
          "Superseded",
          "Revision "
              + older.spec().revision()
              + " was superseded by revision "
              + spec.revision()
              + " before it rolled out",
          older.spec().revision());
    }
    return store.revision(ref, spec.revision()).orElseThrow();
  }

  /**
   * Rolls out the app's accepted revisions, oldest first, one at a time: the reconciler's part, run
   * while holding the app's lease ({@link #ifIdle}). A revision is marked {@code deploying} before
   * anything of it runs, so a replica that dies in the middle leaves it to be abandoned, never
   * rolled out twice.
   */
  void carryOutAccepted(AppRef ref) {
    for (Optional<DeploymentStore.Pending> next = store.pending(ref);
        next.isPresent();
        next = store.pending(ref)) {
      Acceptance acceptance = next.get().acceptance();
      if (!store.startRollout(ref, next.get().revision().spec().revision())) {
        continue;
      }
      RevisionRecord accepted = inFormation(next.get().revision(), acceptance);
      AppSpec spec = accepted.spec();
      routes.forget(ref);
      try {
        carryOut(
            spec,
            acceptance.event(),
            acceptance.message(),
            new Stage("admission", acceptance.admittedMillis()),
            acceptance.intent(),
            () ->
                acceptance.release()
                    ? ImageDeclarations.read(driver, spec, events).plan()
                    : ReleasePlan.NONE,
            accepted.reservationKeys());
      } finally {
        routes.forget(ref);
      }
    }
  }

  /**
   * The accepted revision with the formation the app runs when its rollout starts: each count the
   * live revision runs otherwise than when the revision was accepted was scaled since, and the
   * revision takes it (a scale accepted while it waited is not lost with the old revision). Its
   * reservations follow as a scale's do; a count beyond the quota now is a warning, and the
   * revision rolls out as accepted.
   */
  private RevisionRecord inFormation(RevisionRecord accepted, Acceptance acceptance) {
    AppSpec spec = accepted.spec();
    AppRef ref = spec.ref();
    Map<String, Integer> then = acceptance.formation();
    Map<String, Integer> now = liveFormation(ref);
    if (then == null || now == null) {
      return accepted;
    }
    AppSpec formed = spec;
    for (Map.Entry<String, Integer> count : now.entrySet()) {
      String type = count.getKey();
      if (count.getValue().equals(then.get(type))) {
        continue;
      }
      if (ProcessTypes.WEB.equals(type)) {
        formed = formed.withReplicas(count.getValue());
      } else if (formed.processes().containsKey(type)) {
        formed = formed.withCount(type, count.getValue());
      }
    }
    if (counts(formed).equals(counts(spec))) {
      return accepted;
    }
    int generation = store.generation(ref) + 1;
    List<String> keys = new ArrayList<>(accepted.reservationKeys());
    boolean down = formed.instances() < spec.instances();
    try {
      if (formed.instances() > spec.instances()) {
        reserve(formed, formed.instances() - spec.instances(), generation).ifPresent(keys::add);
      } else if (down) {
        keys.forEach(key -> release(ref, key));
        keys.clear();
        reserve(formed, generation).ifPresent(keys::add);
      }
    } catch (Problem refused) {
      if (down) {
        // released for a smaller total that did not fit: it runs unreserved, as a scale down does
        store.scaled(formed, keys);
        log.warn("{} revision {} runs unreserved: {}", ref, spec.revision(), refused.getMessage());
        return store.revision(ref, spec.revision()).orElseThrow();
      }
      events.warning(
          ref,
          "Unscaled",
          "Revision "
              + spec.revision()
              + " rolls out with the counts it was accepted with: the app's new formation"
              + " does not fit the quota ("
              + refused.getMessage()
              + ")",
          spec.revision());
      return accepted;
    }
    store.scaled(formed, keys);
    return store.revision(ref, spec.revision()).orElseThrow();
  }

  /**
   * Rolls out a recorded revision ({@code deploying}) holding {@code keys}: its release phase
   * ({@code plan}), start, health, route switch, the old revision retired; then its outcome.
   */
  private RevisionRecord carryOut(
      AppSpec spec,
      String reason,
      String what,
      Stage admission,
      ChangeAudit.Intent intent,
      Supplier<ReleasePlan> plan,
      List<String> keys) {
    AppRef ref = spec.ref();
    Optional<RevisionRecord> current = store.live(ref);
    boolean wasRunning = current.isPresent() && !store.stopped(ref);
    if (!wasRunning) {
      // nothing serves the app's hosts: they say it is starting until the rollout routes them
      routes.announce(ref, Parked.STARTING);
    }
    RolloutResult result;
    try {
      result = rollout.rollOut(spec, current.map(RevisionRecord::spec), plan.get());
    } catch (RuntimeException e) {
      // The runtime refused (or podman tripped): a failed revision like any other, deploy again.
      log.warn("Rolling out {} revision {} failed in the runtime", ref, spec.revision(), e);
      try {
        driver.remove(ref, spec.revision());
      } catch (RuntimeException cleanup) {
        log.warn(
            "Removing {} revision {} failed too; the reconciler retries", ref, spec.revision());
      }
      // all a failure leaves is there before the mark a waiting caller answers on
      announceFailure(ref, current, wasRunning);
      keys.forEach(k -> release(ref, k));
      putConfigBack(spec);
      events.warning(ref, "Failed", "the runtime failed: " + e.getMessage(), spec.revision());
      audit.failed(ref, intent, spec.revision(), "the runtime failed: " + e.getMessage());
      store.markFailed(ref, spec.revision(), "the runtime failed: " + e.getMessage());
      settle(ref);
      return store.revision(ref, spec.revision()).orElseThrow();
    }
    List<Stage> stages = new ArrayList<>(List.of(admission));
    stages.addAll(result.stages());
    store.setStages(ref, spec.revision(), stages);
    if (result.live()) {
      events.normal(
          ref,
          reason,
          "Revision " + spec.revision() + what + " is live (" + result.millis() + " ms)",
          spec.revision());
      if (result.postdeployFailure() != null) {
        events.warning(ref, "PostdeployFailed", result.postdeployFailure(), spec.revision());
      }
      store.markLive(ref, spec.revision());
      store.setStopped(ref, false);
      current.ifPresent(c -> c.reservationKeys().forEach(k -> release(ref, k)));
    } else {
      announceFailure(ref, current, wasRunning);
      keys.forEach(k -> release(ref, k));
      putConfigBack(spec);
      failed(ref, spec.revision(), result);
      audit.failed(ref, intent, spec.revision(), result.reason());
      if (wasRunning) {
        events.warning(
            ref,
            "RolledBack",
            "Revision "
                + spec.revision()
                + " failed; revision "
                + current.get().spec().revision()
                + " keeps serving",
            spec.revision());
      }
      store.markFailed(ref, spec.revision(), result.reason());
      if (!wasRunning) {
        settle(ref);
      }
    }
    return store.revision(ref, spec.revision()).orElseThrow();
  }

  /**
   * Before a revision is marked failed: the hosts of an app that had nothing serving say so
   * already, so that a caller waiting on the mark (another replica's, too) finds them so. {@link
   * #settle} then sets them from what was recorded.
   */
  private void announceFailure(AppRef ref, Optional<RevisionRecord> live, boolean wasRunning) {
    if (!wasRunning) {
      routes.announce(ref, live.isPresent() ? Parked.STOPPED : Parked.FAILED);
    }
  }

  /**
   * After a rollout that did not go live: the hosts of an app that had nothing serving say why now
   * (failed, or stopped again). A router that cannot be told is left to the reconciler.
   */
  private void settle(AppRef ref) {
    try {
      routes.settle(ref);
    } catch (RuntimeException e) {
      log.warn("Parking {} failed; the reconciler tries again: {}", ref, e.getMessage());
    }
  }

  private void failed(AppRef ref, int revision, RolloutResult result) {
    Integer code = result.exitCode();
    if (result.failedPhase() != null) {
      events.warning(ref, "ReleaseFailed", result.reason(), revision);
    } else if (code == null) {
      events.warning(ref, "Unhealthy", result.reason(), revision);
    } else if (code == 137) {
      events.warning(ref, "OOMKilled", result.reason(), revision);
    } else {
      events.warning(ref, "Exited", result.reason(), revision);
    }
  }

  /** The counts per process type a spec runs, {@code web}'s replicas among them: its formation. */
  static Map<String, Integer> counts(AppSpec spec) {
    Map<String, Integer> counts = new TreeMap<>();
    counts.put(ProcessTypes.WEB, spec.replicas());
    spec.processes().forEach((type, process) -> counts.put(type, process.count()));
    return counts;
  }

  /** The formation the app's live revision runs now; null when nothing is live. */
  private Map<String, Integer> liveFormation(AppRef ref) {
    return store.live(ref).map(live -> counts(live.spec())).orElse(null);
  }

  private static List<ChangeAudit.Intent> intents(ChangeAudit.Intent intent) {
    return intent == null ? List.of() : List.of(intent);
  }

  /** What the audit trail keeps of a revision: never an environment value. */
  static Map<String, Object> details(AppSpec spec, String buildId) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("revision", spec.revision());
    details.put("image", spec.image());
    details.put("replicas", spec.replicas());
    if (!spec.processes().isEmpty()) {
      Map<String, Integer> counts = new TreeMap<>();
      spec.processes().forEach((type, process) -> counts.put(type, process.count()));
      details.put("processes", counts);
    }
    if (buildId != null) {
      details.put("buildId", buildId);
    }
    return details;
  }

  /**
   * Reserves what the spec runs: every instance of every process type, each counted as a replica
   * with the revision's CPU and memory; nothing to hold for none.
   */
  Optional<String> reserve(AppSpec spec, int generation) {
    return reserve(spec, spec.instances(), generation);
  }

  /** Reserves {@code instances} instances of the spec's size. */
  private Optional<String> reserve(AppSpec spec, int instances, int generation) {
    if (instances == 0) {
      return Optional.empty();
    }
    AppRef ref = spec.ref();
    String key = "rt:" + ref.appId() + ":r" + spec.revision() + ":g" + generation;
    tenants.reserve(
        ref,
        key,
        new TenantApi.Compute(
            (long) spec.cpuMillicores() * instances,
            (long) spec.memoryMib() * instances,
            instances));
    return Optional.of(key);
  }

  void release(AppRef ref, String key) {
    tenants.release(ref.tenant(), key);
  }

  private static AppSpec spec(
      AppRef ref, int revision, DeployRequest r, AppConfigStore.Config config) {
    return new AppSpec(
        ref,
        revision,
        r.image(),
        r.digest(),
        r.replicas() == null ? 1 : r.replicas(),
        r.port() == null ? 8080 : r.port(),
        config.env(),
        r.cpuMillicores() == null ? 250 : r.cpuMillicores(),
        r.memoryMib() == null ? 128 : r.memoryMib(),
        r.healthPath() == null ? "/" : r.healthPath(),
        r.runAsUser() == null ? AppSpec.DEFAULT_USER : r.runAsUser(),
        r.readOnlyRootFilesystem() == null || r.readOnlyRootFilesystem(),
        config.secrets());
  }

  /**
   * A deploy that names no port runs the app on its image's {@code EXPOSE}d port, the lowest
   * unprivileged TCP one when it exposes several (what an image says it listens on beats the
   * default, and {@code $PORT} tells an app that reads it the same port); an image that exposes
   * none, or only ports below 1024 (a non-root app cannot listen there), keeps 8080. A driver that
   * cannot read images, or an image that cannot be read, keeps 8080 too: the rollout then says
   * where the app listens if it does not listen there.
   */
  private AppSpec onImagePort(AppSpec spec) {
    if (!(driver instanceof ImagePorts images)) {
      return spec;
    }
    try {
      return portOf(images.exposed(spec.imageReference())).map(spec::withPort).orElse(spec);
    } catch (RuntimeException e) {
      log.warn("Reading the exposed ports of {} failed: {}", spec.imageReference(), e.toString());
      return spec;
    }
  }

  /**
   * The process types the image's Procfile label declares besides {@code web} and {@code release},
   * each run as many times as the app runs it now ({@link #formation}).
   */
  private AppSpec withProcessTypes(AppSpec spec, ImageDeclarations declared) {
    Map<String, ProcessSpec> types = new TreeMap<>();
    declared.types().forEach((type, command) -> types.put(type, new ProcessSpec(command, 0)));
    return spec.withProcesses(formation(types, spec.ref()));
  }

  /**
   * Refuses a deploy whose app.json requires variables the app does not set (as variables or
   * secrets): 422 {@code missing-env}, naming them.
   */
  private void requireEnv(AppRef ref, AppManifest manifest, AppConfigStore.Config config) {
    SortedSet<String> missing = manifest.missing(config.env(), config.secrets());
    if (!missing.isEmpty()) {
      String detail =
          "the app's app.json requires "
              + String.join(", ", missing)
              + " to be set: set "
              + (missing.size() == 1 ? "it" : "them")
              + " as variables or secrets of the app (PUT .../env), then deploy again";
      events.warning(ref, "Refused", detail, null);
      throw Problem.invalid("missing-env", detail);
    }
  }

  /**
   * These process types with the counts the app's live revision runs them with (its formation,
   * which a deploy or rollback keeps); 0 for a type the live revision does not have, so a new type
   * runs only once it is scaled.
   */
  private Map<String, ProcessSpec> formation(Map<String, ProcessSpec> types, AppRef ref) {
    Map<String, ProcessSpec> now =
        store.live(ref).map(live -> live.spec().processes()).orElse(Map.of());
    Map<String, ProcessSpec> counted = new TreeMap<>();
    types.forEach(
        (type, process) ->
            counted.put(
                type, process.withCount(now.containsKey(type) ? now.get(type).count() : 0)));
    return counted;
  }

  /** The port an app whose image exposes {@code exposed} runs on: the lowest from 1024 up. */
  static Optional<Integer> portOf(java.util.SortedSet<Integer> exposed) {
    return exposed.stream().filter(port -> port >= 1024 && port <= 65535).findFirst();
  }

  /** Image admission (issue 9): a refusal is a {@code Refused} event and a 422 problem. */
  private AppSpec admitted(AppRef ref, Supplier<AppSpec> admission) {
    try {
      return admission.get();
    } catch (ImageRefusedException e) {
      events.warning(ref, "Refused", e.getMessage(), null);
      throw e;
    }
  }

  /**
   * Runs the work while holding the app's lock, which the reconciler also takes: this replica's
   * lock, and the app's lease, which no other replica then holds (one writer per app), and its
   * accept lock, since the work may record a revision of its own ({@link #accepting}). The work may
   * change the app's route on its own (a rollout routes its new instances), so what {@link
   * AppRoutes} remembers of the app is forgotten before and after: the next pass writes it whole.
   */
  <T> T locked(AppRef ref, Supplier<T> work) {
    ReentrantLock lock = lock(ref);
    lock.lock();
    boolean outermost = lock.getHoldCount() == 1;
    try {
      if (outermost) {
        leases.acquire(ref.appId());
      }
      try {
        routes.forget(ref);
        return accepts.holding(ref.appId(), work);
      } finally {
        routes.forget(ref);
        if (outermost) {
          leases.release(ref.appId());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs the work of accepting a change (it numbers and records a revision) while no other replica
   * or thread accepts one for the app; a rollout under way does not hold it up.
   */
  <T> T accepting(AppRef ref, Supplier<T> work) {
    return accepts.holding(ref.appId(), work);
  }

  /**
   * Runs the work unless an operation on the app is under way, here or on another replica; then
   * returns false.
   */
  boolean ifIdle(AppRef ref, Runnable work) {
    ReentrantLock lock = lock(ref);
    if (!lock.tryLock()) {
      return false;
    }
    boolean outermost = lock.getHoldCount() == 1;
    try {
      if (outermost && !leases.tryAcquire(ref.appId())) {
        return false;
      }
      try {
        work.run();
        return true;
      } finally {
        if (outermost) {
          leases.release(ref.appId());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private ReentrantLock lock(AppRef ref) {
    return locks.computeIfAbsent(ref, r -> new ReentrantLock());
  }
}
