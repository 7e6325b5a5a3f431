package io.slipway.runtime.deploy;

import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.driver.ServingConditions;
import io.slipway.runtime.model.AppSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Shows why a runtime that serves apps by its own controller (Knative Serving) cannot serve one:
 * each live app's failure, in the runtime's words, becomes a warning event of the app once per
 * failure (again when it changes, or after the app served meanwhile). What was told is kept in the
 * replica's memory: a replica that starts anew tells a standing failure once more.
 */
@Component
class ServingFailures {

  private static final Logger log = LoggerFactory.getLogger(ServingFailures.class);

  private final RuntimeDriver driver;
  private final DeploymentStore store;
  private final EventLog events;
  private final Map<String, ServingConditions.Failure> told = new ConcurrentHashMap<>();

  ServingFailures(RuntimeDriver driver, DeploymentStore store, EventLog events) {
    this.driver = driver;
    this.store = store;
    this.events = events;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.reconcile-interval:10s}",
      initialDelayString = "${slipway.runtime.reconcile-interval:10s}")
  void scheduled() {
    if (!(driver instanceof ServingConditions conditions)) {
      return;
    }
    try {
      pass(conditions);
    } catch (RuntimeException e) {
      log.warn("Reading the apps' serving conditions failed; trying again: {}", e.getMessage());
    }
  }

  void pass(ServingConditions conditions) {
    for (RevisionRecord live : store.allLive()) {
      AppSpec spec = live.spec();
      String app = spec.ref().appId();
      Optional<ServingConditions.Failure> failure = conditions.failure(spec.ref());
      if (failure.isEmpty()) {
        told.remove(app);
      } else if (!failure.get().equals(told.get(app))) {
        events.warning(
            spec.ref(), failure.get().reason(), failure.get().message(), spec.revision());
        told.put(app, failure.get());
      }
    }
  }
}
