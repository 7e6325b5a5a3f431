package io.slipway.runtime.deploy;

import io.slipway.runtime.router.Router;
import org.springframework.stereotype.Component;

/**
 * Has the router answer the challenge of every pending claim, across all apps, as the database
 * says: after each claim added, verified or given up, after an app is deleted, and on every
 * reconcile pass (a router that lost them gets them back).
 */
@Component
class ChallengeRoutes {

  private final AppConfigStore configs;
  private final Router router;

  ChallengeRoutes(AppConfigStore configs, Router router) {
    this.configs = configs;
    this.router = router;
  }

  /** One at a time, so two changes cannot leave the older set in place. */
  synchronized void publish() {
    router.serveChallenges(configs.pendingChallenges());
  }
}
