package io.slipway.runtime.deploy;

import io.slipway.runtime.admission.ImageAdmission;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells an app's developers when the image it runs stops passing the image policy: every {@code
 * slipway.runtime.admission.recheck-interval} each replica checks the live revision of every app
 * that runs again ({@link ImageAdmission#recheck}: a new advisory, an expired waiver, a stricter
 * floor or tenant policy), and records a {@code Warning} event {@value #VIOLATION} with the reasons
 * when they differ from what the revision's last such event said, and a {@code Normal} event
 * {@value #COMPLIANT} once a revision that had one passes again. Nothing is stopped: the revision
 * keeps running, and its next deploy or rollback is refused as admission says.
 *
 * <p>Several replicas check side by side: each app's event is decided and recorded under a
 * transaction-scoped PostgreSQL advisory lock on the app, so one replica's event is what the
 * other's reads, and none is recorded twice.
 */
@Component
class PolicyWatch {

  static final String VIOLATION = "PolicyViolation";
  static final String COMPLIANT = "PolicyCompliant";

  private static final Logger log = LoggerFactory.getLogger(PolicyWatch.class);

  private final DeploymentStore store;
  private final ImageAdmission admission;
  private final EventLog events;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  PolicyWatch(
      DeploymentStore store,
      ImageAdmission admission,
      EventLog events,
      JdbcClient jdbc,
      TransactionTemplate tx) {
    this.store = store;
    this.admission = admission;
    this.events = events;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.admission.recheck-interval:5m}",
      initialDelayString = "${slipway.runtime.admission.recheck-interval:5m}")
  void scheduledCheck() {
    try {
      int failing = check();
      if (failing > 0) {
        log.info("{} running revisions fail the image policy of now", failing);
      }
    } catch (RuntimeException e) {
      log.warn(
          "Checking running images against the image policy failed; the next check retries", e);
    }
  }

  /**
   * Checks every running revision once.
   *
   * @return how many fail the policy now
   */
  int check() {
    int failing = 0;
    for (RevisionRecord live : store.allLive()) {
      AppSpec spec = live.spec();
      List<String> reasons = admission.recheck(spec);
      if (!reasons.isEmpty()) {
        failing++;
      }
      tx.executeWithoutResult(status -> record(spec, reasons));
    }
    return failing;
  }

  private void record(AppSpec spec, List<String> reasons) {
    AppRef ref = spec.ref();
    jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtext(?))) locked")
        .param("policy-watch:" + ref.appId())
        .query(Integer.class)
        .single();
    Optional<EventLog.Event> last =
        events.latestOf(ref, spec.revision(), List.of(VIOLATION, COMPLIANT));
    boolean flagged = last.isPresent() && VIOLATION.equals(last.get().reason());
    if (reasons.isEmpty()) {
      if (flagged) {
        events.normal(
            ref,
            COMPLIANT,
            "The running image " + shown(spec) + " passes the image policy again.",
            spec.revision());
      }
      return;
    }
    String message =
        "The running image "
            + shown(spec)
            + " now fails the image policy: "
            + String.join("; ", reasons)
            + ". It keeps running, but it cannot be deployed or rolled back to again: push a"
            + " build with the fixed versions, or ask a tenant admin for a waiver.";
    if (!flagged || !message.equals(last.get().message())) {
      events.warning(ref, VIOLATION, message, spec.revision());
      log.info("{} revision {} now fails the image policy: {}", ref, spec.revision(), reasons);
    }
  }

  private static String shown(AppSpec spec) {
    String digest = spec.digest();
    return spec.image() + " (" + digest.substring(0, Math.min(digest.length(), 19)) + ")";
  }
}
