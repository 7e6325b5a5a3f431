package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Pins a revision so that retention keeps its image whatever its age ({@link ImageRetention}), or
 * unpins it. Done holding the app's accept lock, which retention also holds while it removes the
 * app's images, so a revision pinned is never one whose image a pass under way removes after. A
 * change is audited with its row; pinning what is already pinned (or unpinning what is not) changes
 * and records nothing.
 */
@Component
class RevisionPins {

  private final DeploymentStore store;
  private final AcceptLocks locks;
  private final ChangeAudit audit;
  private final ImageRetention retention;
  private final JdbcClient jdbc;

  RevisionPins(
      DeploymentStore store,
      AcceptLocks locks,
      ChangeAudit audit,
      ImageRetention retention,
      JdbcClient jdbc) {
    this.store = store;
    this.locks = locks;
    this.audit = audit;
    this.retention = retention;
    this.jdbc = jdbc;
  }

  /**
   * Sets whether the revision is pinned; the revision as it is then. 404 for a revision the app
   * does not have; 409 for pinning one whose image retention already removed.
   */
  RevisionRecord pin(AppRef ref, int revision, boolean pinned, ChangeAudit.Intent intent) {
    return locks.holding(
        ref.appId(),
        () -> {
          RevisionRecord record = require(ref, revision);
          if (record.pinned() == pinned) {
            return record;
          }
          if (pinned && record.imageRemoved()) {
            throw retention.removedImage(ref, revision);
          }
          audit.together(
              ref,
              List.of(intent.with(Map.of("revision", revision))),
              () ->
                  jdbc.sql(
                          "update revision set pinned = ? where tenant = ? and project = ?"
                              + " and app = ? and revision = ?")
                      .params(pinned, ref.tenant(), ref.project(), ref.app(), revision)
                      .update());
          return require(ref, revision);
        });
  }

  /**
   * Refuses a rollback to the revision when retention removed its image; call it holding the app's
   * accept lock, as the rollback's acceptance does.
   */
  void requireImage(AppRef ref, int revision) {
    if (require(ref, revision).imageRemoved()) {
      throw retention.removedImage(ref, revision);
    }
  }

  private RevisionRecord require(AppRef ref, int revision) {
    return store
        .revision(ref, revision)
        .orElseThrow(() -> Problem.notFound("Revision", ref + "/" + revision));
  }
}
