package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.rollout.RolloutResult;
import io.slipway.runtime.router.Parked;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * What happens to an app besides deploys: its configuration (environment and secrets), stop, start,
 * restart and delete ({@link DomainClaims} has its custom domains). Each runs under the app's lock,
 * like deploys, and a caller's change is audited with its own row before anything runs ({@link
 * ChangeAudit}).
 */
@Service
class AppLifecycle {

  private final Deployments deployments;
  private final DeploymentStore store;
  private final AppConfigStore configs;
  private final EventLog events;
  private final Rollout rollout;
  private final RuntimeDriver driver;
  private final ChallengeRoutes challenges;
  private final ChangeAudit audit;
  private final AppRoutes routes;

  AppLifecycle(
      Deployments deployments,
      DeploymentStore store,
      AppConfigStore configs,
      EventLog events,
      Rollout rollout,
      RuntimeDriver driver,
      ChallengeRoutes challenges,
      ChangeAudit audit,
      AppRoutes routes) {
    this.audit = audit;
    this.challenges = challenges;
    this.routes = routes;
    this.deployments = deployments;
    this.store = store;
    this.configs = configs;
    this.events = events;
    this.rollout = rollout;
    this.driver = driver;
  }

  AppConfigStore.Config config(AppRef ref) {
    return configs.config(ref);
  }

  /**
   * Replaces the environment, sets the secrets given a value, removes those given null and keeps
   * the rest. A running app gets a new revision with the new configuration before this returns; if
   * that revision fails, the configuration is put back and the failure is a 409 {@code
   * rollout-failed}. The intents are recorded with the new configuration.
   */
  AppConfigStore.Config configure(
      AppRef ref,
      Map<String, String> env,
      Map<String, String> secretChanges,
      List<ChangeAudit.Intent> intents) {
    return deployments.locked(
        ref,
        () -> {
          store.ensureApp(ref);
          AppConfigStore.Config before = configs.config(ref);
          TreeMap<String, String> secrets = new TreeMap<>(before.secrets());
          secretChanges.forEach(
              (name, value) -> {
                if (value == null) {
                  secrets.remove(name);
                } else {
                  secrets.put(name, value);
                }
              });
          TreeMap<String, String> plain = new TreeMap<>(env);
          plain.keySet().stream()
              .filter(secrets::containsKey)
              .findFirst()
              .ifPresent(
                  name -> {
                    throw Problem.badRequest(
                        "invalid-env", "'" + name + "' is both an env variable and a secret");
                  });
          AppConfigStore.Config after = new AppConfigStore.Config(plain, secrets);
          audit.recorded(
              ref,
              intents,
              () -> {
                configs.save(ref, after);
                return null;
              });
          Optional<RevisionRecord> live = store.live(ref);
          if (live.isPresent() && !store.stopped(ref)) {
            AppSpec next = live.get().spec().asRevision(store.nextRevision(ref), plain, secrets);
            RevisionRecord result =
                deployments.rollOut(next, null, "Deployed", " (configuration changed)", null);
            if (!RevisionRecord.LIVE.equals(result.status())) {
              configs.save(ref, before);
              if (!intents.isEmpty()) {
                audit.failed(ref, intents.getFirst(), next.revision(), result.reason());
              }
              throw Problem.conflict("rollout-failed", result.reason());
            }
          }
          return after;
        });
  }

  /**
   * Stops every instance, has the router answer "stopped" for the app and releases the compute; the
   * live revision stays.
   */
  void stop(AppRef ref, ChangeAudit.Intent intent) {
    deployments.locked(
        ref,
        () -> {
          RevisionRecord live = deployments.requireLive(ref);
          if (store.stopped(ref)) {
            return null;
          }
          // Stopped first: a bridge dying from here on leaves the reconciler removing the rest.
          audit.recorded(ref, intent, () -> store.setStopped(ref, true));
          driver.removeApp(ref);
          // after the removal, which on Kubernetes takes the app's Ingress with it
          routes.park(ref, Parked.STOPPED);
          live.reservationKeys().forEach(key -> deployments.release(ref, key));
          store.setKeys(ref, live.spec().revision(), List.of());
          events.normal(ref, "Stopped", "Stopped; no instance runs", live.spec().revision());
          return null;
        });
  }

  /**
   * Starts a stopped app: reserves its compute again and rolls out the live revision, or a new
   * revision when its configuration changed while it was stopped. Starting a running app does
   * nothing.
   */
  void start(AppRef ref, ChangeAudit.Intent intent) {
    deployments.locked(
        ref,
        () -> {
          RevisionRecord live = deployments.requireLive(ref);
          if (!store.stopped(ref)) {
            return null;
          }
          AppSpec spec = live.spec();
          AppConfigStore.Config config = configs.config(ref);
          // A bridge that died during an earlier start may have left a reservation behind.
          store.heldKeys(ref).forEach(key -> deployments.release(ref, key));
          if (!config.env().equals(spec.env()) || !config.secrets().equals(spec.secrets())) {
            AppSpec next = spec.asRevision(store.nextRevision(ref), config.env(), config.secrets());
            RevisionRecord started =
                deployments.rollOut(next, null, "Started", " (with the new configuration)", intent);
            if (!RevisionRecord.LIVE.equals(started.status())) {
              throw Problem.conflict("unhealthy", started.reason());
            }
            return null;
          }
          Optional<String> key = deployments.reserve(spec, store.nextGeneration(ref));
          audit.recorded(
              ref,
              intent == null ? null : intent.with(Map.of("revision", spec.revision())),
              () -> store.setKeys(ref, spec.revision(), key.stream().toList()));
          routes.announce(ref, Parked.STARTING);
          RolloutResult result = rollout.rollOut(spec, Optional.empty());
          if (!result.live()) {
            audit.failed(ref, intent, spec.revision(), result.reason());
            key.ifPresent(k -> deployments.release(ref, k));
            store.setKeys(ref, spec.revision(), List.of());
            routes.announce(ref, Parked.STOPPED);
            events.warning(ref, "Unhealthy", result.reason(), spec.revision());
            throw Problem.conflict("unhealthy", result.reason());
          }
          store.setStopped(ref, false);
          events.normal(
              ref,
              "Started",
              "Revision " + spec.revision() + " runs again (" + result.millis() + " ms)",
              spec.revision());
          return null;
        });
  }

  /** A zero-downtime rollout of the live revision's spec as a new revision. */
  RevisionRecord restart(AppRef ref, ChangeAudit.Intent intent) {
    return deployments.locked(
        ref,
        () -> {
          AppSpec spec = deployments.requireRunning(ref).spec();
          AppSpec again = spec.asRevision(store.nextRevision(ref), spec.env(), spec.secrets());
          return deployments.rollOut(
              again, null, "Restarted", " (a restart of revision " + spec.revision() + ")", intent);
        });
  }

  /**
   * Removes everything of the app: instances, route, the images pulled for it that nobody else
   * uses, domains, reservations, revisions, events and configuration. Deleting an app the bridge
   * does not know does nothing. The intent (null: none) is recorded before anything is removed.
   */
  void delete(AppRef ref, ChangeAudit.Intent intent) {
    deployments.locked(
        ref,
        () -> {
          audit.recorded(ref, intent, () -> {});
          routes.unroute(ref);
          driver.removeApp(ref);
          // after its containers: an image is deleted only once nothing runs from it
          driver.releaseImages(ref);
          store.heldKeys(ref).forEach(key -> deployments.release(ref, key));
          store.deleteApp(ref);
          return null;
        });
    // its pending claims' challenges go with it
    challenges.publish();
  }

  /**
   * Removes what the bridge still holds of an earlier app of the same names (deleted in
   * tenant-service, its event not applied yet), so an app created again under a deleted name starts
   * empty whether or not the event has been consumed.
   */
  void forgetEarlier(AppRef ref) {
    store.earlier(ref).ifPresent(earlier -> delete(earlier, null));
  }

  /**
   * Points a running app's route, or the 503 page of an app that does not run, at its (changed)
   * hosts.
   */
  void reroute(AppRef ref) {
    if (routes.settle(ref)) {
      return;
    }
    store
        .live(ref)
        .map(live -> rollout.upstreams(live.spec()))
        .filter(upstreams -> !upstreams.isEmpty())
        .ifPresent(upstreams -> routes.serve(ref, upstreams));
  }
}
