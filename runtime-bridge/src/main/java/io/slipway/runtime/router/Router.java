package io.slipway.runtime.router;

import io.slipway.runtime.domain.Challenge;
import io.slipway.runtime.model.AppRef;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends an app's host to the instances of its live revision. Idempotent: routing an app again
 * replaces its route in one step (requests in flight finish on the old upstreams), and unrouting an
 * app without a route does nothing.
 */
public interface Router {

  /**
   * Makes sure the router can take routes (e.g. its server exists); called before every reconcile
   * pass, so a router started after the bridge is set up on the next pass.
   */
  default void prepare() {}

  /**
   * Routes every one of {@code hosts} (the app's own host and its custom domains) to these {@code
   * ip:port} upstreams, replacing the app's route if any.
   */
  void route(AppRef ref, List<String> hosts, List<String> upstreams);

  /** Routes one host. */
  default void route(AppRef ref, String host, List<String> upstreams) {
    route(ref, List.of(host), upstreams);
  }

  /**
   * Answers every one of {@code hosts} of an app that has no instance to serve with the router's
   * 503 page saying why ({@code why}), replacing the app's route if any; routing the app again
   * replaces this in turn, and parking it again with another reason replaces the page. The app
   * counts as {@link #routed()}. A router without such pages removes the app's route instead.
   */
  default void park(AppRef ref, List<String> hosts, Parked why) {
    unroute(ref);
  }

  /**
   * Sends every one of {@code hosts} of an app scaled to zero to the activator that {@code
   * activation} names, which holds the requests while it wakes the app, replacing the app's route
   * if any; routing the app again replaces this in turn. The app counts as {@link #routed()}. A
   * router without an activator parks the app as starting instead.
   */
  default void hold(AppRef ref, List<String> hosts, Activation activation) {
    park(ref, hosts, Parked.STARTING);
  }

  /**
   * Answers each challenge's path on its domain with its token (see {@link Challenge}), replacing
   * every challenge answered before: the list is the whole desired set, so a claim given up or
   * verified stops being answered. Idempotent; an empty list removes them all. A challenge is
   * answered whether or not an app is routed on its domain, and nothing else is routed by it. A
   * router that cannot answer challenges does nothing (the DNS proof remains).
   */
  default void serveChallenges(List<Challenge> challenges) {}

  /**
   * The requests the router is waiting on each upstream ({@code ip:port}, as routed) to answer now,
   * by upstream; upstreams with none may be left out.
   *
   * @throws UnsupportedOperationException from a router that cannot tell ({@link #countsRequests()}
   *     false)
   */
  default Map<String, Integer> requestsInFlight() {
    throw new UnsupportedOperationException("this router does not count requests in flight");
  }

  /** Whether {@link #requestsInFlight()} answers: what autoscaling needs. */
  default boolean countsRequests() {
    return false;
  }

  /** Removes the app's route. */
  void unroute(AppRef ref);

  /** The apps that have a route, found again after a restart (to remove orphans). */
  Set<AppRef> routed();
}
