package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.Rollout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * What happens to an app besides deploys: its configuration (environment and secrets), stop, start,
 * restart and delete ({@link DomainClaims} has its custom domains). Stop, start and restart are
 * only accepted here (a desired state, or a revision) for the reconciler to carry out under the
 * app's lease; each is audited with its own row before anything runs ({@link ChangeAudit}).
 */
@Service
class AppLifecycle {

  private final Deployments deployments;
  private final DeploymentStore store;
  private final AppConfigStore configs;
  private final Rollout rollout;
  private final RuntimeDriver driver;
  private final ChallengeRoutes challenges;
  private final ChangeAudit audit;
  private final AppRoutes routes;
  private final AppChangeStore changes;
  private final VmLifecycle vms;

  AppLifecycle(
      Deployments deployments,
      DeploymentStore store,
      AppConfigStore configs,
      Rollout rollout,
      RuntimeDriver driver,
      ChallengeRoutes challenges,
      ChangeAudit audit,
      AppRoutes routes,
      AppChangeStore changes,
      VmLifecycle vms) {
    this.vms = vms;
    this.changes = changes;
    this.audit = audit;
    this.challenges = challenges;
    this.routes = routes;
    this.deployments = deployments;
    this.store = store;
    this.configs = configs;
    this.rollout = rollout;
    this.driver = driver;
  }

  AppConfigStore.Config config(AppRef ref) {
    return configs.config(ref);
  }

  /** The names of the app's secrets its previews get ({@code preview: true}). */
  SortedSet<String> previewSecrets(AppRef ref) {
    return configs.previewSecrets(ref);
  }

  /**
   * Marks the app's secret {@code name} {@code preview: true} or not, recorded with {@code intent};
   * false when the app has no secret of that name. Nothing runs anew: each preview takes it with
   * its next revision (its next push).
   */
  boolean markPreview(AppRef ref, String name, boolean preview, ChangeAudit.Intent intent) {
    return deployments.locked(
        ref,
        () ->
            configs.config(ref).secrets().containsKey(name)
                && audit.recorded(ref, intent, () -> configs.markPreview(ref, name, preview)));
  }

  /**
   * Replaces the environment, sets the secrets given a value, removes those given null and keeps
   * the rest. An app that is not stopped and has a revision gets a new one with the new
   * configuration, accepted with it in one transaction for the reconciler to roll out; it is made
   * from the newest accepted spec, so a pushed image still waiting runs with the new configuration.
   * When that revision fails, the reconciler puts the configuration before back ({@link
   * Deployments#putConfigBack}). A stopped app, or one never deployed, only stores it: the next
   * start or deploy runs it. The intents are recorded with the new configuration.
   */
  AppChanges.Accepted configure(
      AppRef ref,
      Map<String, String> env,
      Map<String, String> secretChanges,
      List<ChangeAudit.Intent> intents) {
    return deployments.accepting(
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
          if (!store.stopped(ref) && store.newestAccepted(ref).isPresent()) {
            RevisionRecord accepted = deployments.acceptConfiguration(ref, after, before, intents);
            return AppChanges.Accepted.revision(accepted.spec().revision());
          }
          audit.recorded(
              ref,
              intents,
              () -> {
                configs.save(ref, after);
                return null;
              });
          return AppChanges.Accepted.NOTHING;
        });
  }

  /**
   * Accepts stopping the app: it is marked stopped (the desired state) and the reconciler removes
   * every instance, has the router answer "stopped" and releases the compute ({@link AppChanges});
   * the live revision stays. Stopping a stopped app accepts nothing.
   */
  AppChanges.Accepted stop(AppRef ref, ChangeAudit.Intent intent) {
    return deployments.locked(
        ref,
        () -> {
          deployments.requireLive(ref);
          if (store.stopped(ref)) {
            return AppChanges.Accepted.NOTHING;
          }
          Acceptance accepted =
              Acceptance.of(AppChanges.STOPPED, "Stopped; no instance runs", 0, false, intent);
          return AppChanges.Accepted.change(
              audit.recorded(
                  ref,
                  intent,
                  () -> {
                    store.setStopped(ref, true);
                    return changes.desire(ref, accepted);
                  }));
        });
  }

  /**
   * Accepts starting a stopped app: its compute is reserved again here (a start beyond the quota is
   * refused at once) and the reconciler runs the live revision again; or, when its configuration
   * changed while it was stopped, a new revision with it is accepted for the reconciler to roll
   * out. Starting a running app accepts nothing.
   */
  AppChanges.Accepted start(AppRef ref, ChangeAudit.Intent intent) {
    return deployments.locked(
        ref,
        () -> {
          RevisionRecord live = deployments.requireLive(ref);
          if (!store.stopped(ref)) {
            return AppChanges.Accepted.NOTHING;
          }
          AppSpec spec = live.spec();
          AppConfigStore.Config config = configs.config(ref);
          // A stop not applied yet, or a bridge that died during an earlier start, may hold some.
          live.reservationKeys().forEach(key -> deployments.release(ref, key));
          store.setKeys(ref, spec.revision(), List.of());
          AppConfigStore.Config runs = configs.forRevision(ref, config);
          if (!runs.env().equals(spec.env()) || !runs.secrets().equals(spec.secrets())) {
            RevisionRecord next =
                deployments.acceptAgain(
                    ref,
                    config,
                    AppChanges.STARTED,
                    base -> " (revision " + base + " with the new configuration)",
                    intent);
            return AppChanges.Accepted.revision(next.spec().revision());
          }
          Optional<String> key = deployments.reserve(spec, store.nextGeneration(ref));
          Acceptance accepted =
              Acceptance.of(
                  AppChanges.STARTED,
                  "Revision " + spec.revision() + " runs again",
                  0,
                  false,
                  intent);
          try {
            return AppChanges.Accepted.change(
                audit.recorded(
                    ref,
                    intent == null ? null : intent.with(Map.of("revision", spec.revision())),
                    () -> {
                      store.setKeys(ref, spec.revision(), key.stream().toList());
                      store.setStopped(ref, false);
                      return changes.desire(ref, accepted);
                    }));
          } catch (RuntimeException e) {
            key.ifPresent(k -> deployments.release(ref, k));
            throw e;
          }
        });
  }

  /**
   * Accepts a zero-downtime restart: the newest accepted spec as a new revision, which the
   * reconciler rolls out, or the revision already pending (see {@link Deployments#acceptRestart}).
   */
  AppChanges.Accepted restart(AppRef ref, ChangeAudit.Intent intent) {
    deployments.requireRunning(ref);
    return AppChanges.Accepted.revision(deployments.acceptRestart(ref, intent).spec().revision());
  }

  /**
   * Accepts deleting the app: it is marked deleting (the desired state), with the intent in the
   * audit trail, and the reconciler removes it ({@link #delete}) under the app's lease. From then
   * on no deploy or change of it is accepted (409 {@code being-deleted}). False when the bridge
   * holds nothing of the app: there is nothing to delete.
   */
  boolean acceptDeletion(AppRef ref, ChangeAudit.Intent intent) {
    return deployments.accepting(
        ref,
        () ->
            audit.recorded(
                ref,
                intent,
                () -> {
                  return store.markDeleting(ref);
                }));
  }

  /**
   * Carries out the app's accepted deletion, if one is (asked again under the lease: a pass may
   * have listed it before another replica finished it). The reconciler's part.
   */
  void carryOutDeletion(AppRef ref) {
    if (store.deleting(ref)) {
      delete(ref, null);
    }
  }

  /**
   * Removes everything of the app: instances, route, its VM with its disk, the images pulled for it
   * that nobody else uses, domains, reservations, revisions, events and configuration. Deleting an
   * app the bridge does not know does nothing. The intent (null: none) is recorded before anything
   * is removed.
   */
  void delete(AppRef ref, ChangeAudit.Intent intent) {
    deployments.locked(
        ref,
        () -> {
          audit.recorded(ref, intent, () -> {});
          // its VM first: the VM's deletion parks the hosts before its container goes, the
          // unroute below then takes the route away
          vms.delete(ref, null);
          routes.unroute(ref);
          driver.removeApp(ref);
          // after its containers: an image is deleted only once nothing runs from it
          driver.releaseImages(ref);
          store.heldKeys(ref).forEach(key -> deployments.release(ref, key));
          // its claims' challenges go before the row does: a caller waiting for the deletion is
          // answered once the row is gone, and the challenges must be gone by then too
          configs.releaseDomains(ref);
          challenges.publish();
          store.deleteApp(ref);
          return null;
        });
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
        .ifPresent(
            live -> {
              List<String> upstreams = rollout.upstreams(live.spec());
              if (!upstreams.isEmpty()) {
                routes.serve(live.spec(), upstreams);
              }
            });
  }
}
