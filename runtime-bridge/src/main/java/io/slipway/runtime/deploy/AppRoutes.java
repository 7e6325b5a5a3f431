package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.router.Activation;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.router.Router;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What each app's hosts answer: its live instances while it runs (an app that is a VM: its HTTP
 * port once the guest is up, {@link VmRoutes}), else the router's 503 page saying why nothing
 * answers ({@link Parked}), and nothing (the 404 page) once the app is gone. Remembers what it last
 * wrote per app so that the reconciler's passes cost the router nothing when nothing changed; an
 * operation on the app ({@link Deployments#locked}) forgets it, since a rollout routes on its own,
 * so the next pass writes the whole answer again.
 */
@Component
class AppRoutes {

  private static final Logger log = LoggerFactory.getLogger(AppRoutes.class);

  private final DeploymentStore store;
  private final Router router;
  private final Rollout rollout;
  private final ActivatorEndpoint activator;
  private final VmRoutes vms;
  private final Map<AppRef, Answer> written = new ConcurrentHashMap<>();

  /**
   * Upstreams to serve, or why not ({@code why} not null), or the activator of an app at zero
   * ({@code held} not null).
   */
  private record Answer(List<String> hosts, List<String> upstreams, Parked why, Activation held) {}

  AppRoutes(
      DeploymentStore store,
      Router router,
      Rollout rollout,
      ActivatorEndpoint activator,
      VmRoutes vms) {
    this.store = store;
    this.router = router;
    this.rollout = rollout;
    this.activator = activator;
    this.vms = vms;
  }

  /**
   * The app's hosts go to these upstreams of its running revision {@code spec}, or, for a function,
   * to the invoker ({@link Invoker}), which sends each invocation to one of them.
   */
  void serve(AppSpec spec, List<String> upstreams) {
    AppRef ref = spec.ref();
    write(
        ref,
        new Answer(
            rollout.hosts(ref), List.copyOf(upstreams), null, rollout.front(spec).orElse(null)));
  }

  /**
   * The app's hosts go to the activator: the app is at zero ({@link ScaleToZero}); a function's to
   * its invoker still, which wakes it as the activator does.
   */
  void hold(AppSpec spec) {
    AppRef ref = spec.ref();
    write(
        ref,
        new Answer(
            rollout.hosts(ref),
            List.of(),
            null,
            rollout.front(spec).orElseGet(() -> activator.activation(ref.appId()))));
  }

  /** The app's hosts answer the 503 page saying {@code why}. */
  void park(AppRef ref, Parked why) {
    write(ref, new Answer(rollout.hosts(ref), List.of(), why, null));
  }

  /**
   * {@link #park} where the work goes on either way (a deploy, a restart of crashed instances): a
   * router that cannot be told now (Caddy restarting) must not stop it, so it is logged and left to
   * the reconciler's next pass.
   */
  void announce(AppRef ref, Parked why) {
    try {
      park(ref, why);
    } catch (RuntimeException e) {
      log.warn("{} could not be shown as {} yet: {}", ref, why, e.getMessage());
    }
  }

  /**
   * Parks an app that does not run as what the bridge holds of it says: stopped, failed (its newest
   * revision failed and none is live), starting (a deploy is under way) or not deployed yet (no
   * revision, or no row at all: the caller knows the app exists). An app that is a VM answers as
   * its VM says ({@link #settleVm}). Returns false, and does nothing, for an app with a running
   * live revision: its instances are the reconciler's to route.
   */
  boolean settle(AppRef ref) {
    if (settleVm(ref).isPresent()) {
      return true;
    }
    Optional<Parked> why = why(store.standing(ref));
    why.ifPresent(w -> park(ref, w));
    return why.isPresent();
  }

  /**
   * Sends the hosts of an app that is a VM to its HTTP port, or parks them saying why not ({@link
   * VmRoutes}), and returns that answer; empty, and nothing written, when the app is no VM.
   */
  Optional<VmRoutes.Answer> settleVm(AppRef ref) {
    Optional<VmRoutes.Answer> vm = vms.answer(ref);
    vm.ifPresent(
        answer -> {
          if (answer.why() != null) {
            park(ref, answer.why());
          } else {
            write(ref, new Answer(rollout.hosts(ref), List.of(answer.upstream()), null, null));
          }
        });
    return vm;
  }

  /** Why an app that is not running is not, from what the bridge holds of it; empty if it runs. */
  static Optional<Parked> why(Optional<DeploymentStore.Standing> standing) {
    if (standing.isEmpty()) {
      return Optional.of(Parked.NOT_DEPLOYED);
    }
    DeploymentStore.Standing s = standing.get();
    if (s.live()) {
      return s.stopped() ? Optional.of(Parked.STOPPED) : Optional.empty();
    }
    if (s.newest() == null) {
      return Optional.of(Parked.NOT_DEPLOYED);
    }
    return Optional.of(
        RevisionRecord.DEPLOYING.equals(s.newest()) || RevisionRecord.PENDING.equals(s.newest())
            ? Parked.STARTING
            : Parked.FAILED);
  }

  /** The app's hosts answer the 404 page again. */
  void unroute(AppRef ref) {
    router.unroute(ref);
    written.remove(ref);
  }

  /**
   * The upstreams this bridge last sent the app's hosts to, if it wrote them and nothing changed
   * them since; empty otherwise (the app is parked, held, or another replica or an operation routed
   * it).
   */
  Optional<List<String>> served(AppRef ref) {
    Answer answer = written.get(ref);
    return answer == null || answer.why() != null || answer.held() != null
        ? Optional.empty()
        : Optional.of(answer.upstreams());
  }

  /** Whether this bridge wrote the app's answer and nothing changed it since. */
  boolean wrote(AppRef ref) {
    return written.containsKey(ref);
  }

  /** Writes the app's whole answer again next time (someone else changed the router). */
  void forget(AppRef ref) {
    written.remove(ref);
  }

  /** Forgets every app but these (deleted apps, which have no route any more). */
  void retain(Set<AppRef> apps) {
    written.keySet().retainAll(apps);
  }

  private void write(AppRef ref, Answer answer) {
    if (answer.equals(written.get(ref))) {
      return;
    }
    if (answer.held() != null) {
      router.hold(ref, answer.hosts(), answer.held());
    } else if (answer.why() == null) {
      router.route(ref, answer.hosts(), answer.upstreams());
    } else {
      router.park(ref, answer.hosts(), answer.why());
    }
    written.put(ref, answer);
  }
}
