package io.slipway.runtime.deploy;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps functions' activations within each tenant's quota: every {@code
 * slipway.runtime.functions.prune-interval} each replica forgets activations older than {@code
 * activation-max-age}, those of apps gone, and all but each tenant's newest {@code
 * activation-retention}. Idempotent deletes: replicas pruning at once, or a prune killed halfway,
 * leave nothing inconsistent.
 */
@Component
class ActivationRetention {

  private static final Logger log = LoggerFactory.getLogger(ActivationRetention.class);

  private final ActivationStore store;
  private final FunctionProperties properties;
  private final Clock clock = Clock.systemUTC();

  ActivationRetention(ActivationStore store, FunctionProperties properties) {
    this.store = store;
    this.properties = properties;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.functions.prune-interval:5m}",
      initialDelayString = "${slipway.runtime.functions.prune-interval:5m}")
  void scheduled() {
    try {
      prune();
    } catch (RuntimeException e) {
      log.warn("Pruning activations failed; trying again on the next pass: {}", e.getMessage());
    }
  }

  /** One prune; returns how many activations went. */
  int prune() {
    int pruned =
        store.prune(
            properties.activationRetention(), clock.instant().minus(properties.activationMaxAge()));
    if (pruned > 0) {
      log.info("Pruned {} activations", pruned);
    }
    return pruned;
  }
}
