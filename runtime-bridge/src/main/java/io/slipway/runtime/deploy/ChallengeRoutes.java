package io.slipway.runtime.deploy;

import io.slipway.runtime.router.Router;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Has the router answer the challenge of every pending claim, across all apps, as the database
 * says: after each claim added, verified or given up, after an app is deleted, and on every
 * reconcile pass (a router that lost them gets them back).
 */
@Component
class ChallengeRoutes {

  /** The advisory lock every replica takes to publish, apart from any other lock's key. */
  private static final String LOCK = "slipway:domain-challenges";

  private final AppConfigStore configs;
  private final Router router;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  ChallengeRoutes(AppConfigStore configs, Router router, JdbcClient jdbc, TransactionTemplate tx) {
    this.configs = configs;
    this.router = router;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  /**
   * One at a time across every replica: reading the claims and writing the router happen under one
   * lock, so a replica that read the claims before a change cannot write its older set after the
   * change was published (a deleted app's challenge answered again until the next pass).
   */
  void publish() {
    tx.executeWithoutResult(
        status -> {
          jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
              .param(LOCK)
              .query((rs, n) -> 1)
              .list();
          router.serveChallenges(configs.pendingChallenges());
        });
  }
}
