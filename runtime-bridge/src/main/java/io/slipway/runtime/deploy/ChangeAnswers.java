package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * How a scale, stop, start or restart is answered once accepted ({@link AppChanges.Accepted}): the
 * {@link Reconciler} is woken for it, and the caller gets 202 Accepted with a {@code Location} to
 * poll (the change, {@code .../changes/{n}}, or the revision, {@code .../deployments/{n}}), or,
 * with {@code Prefer: wait=<seconds>}, 200 once it was carried out within the wait. One that came
 * out otherwise than asked (new instances that never got healthy) is then a 409 {@code unhealthy},
 * as these calls answered when they ran in the request (a configuration's revision that failed: 409
 * {@code rollout-failed}).
 */
@Component
class ChangeAnswers {

  /** The problem type of a start or scale whose new instances never got healthy. */
  static final String UNHEALTHY = "unhealthy";

  /** The problem type of a configuration change whose revision failed. */
  static final String ROLLOUT_FAILED = "rollout-failed";

  private final Reconciler reconciler;
  private final RolloutWait waits;

  ChangeAnswers(Reconciler reconciler, RolloutWait waits) {
    this.reconciler = reconciler;
    this.waits = waits;
  }

  /**
   * The answer to {@code accepted}, with {@code body} (read once the wait ended) as its body; a
   * revision that failed is a 409 of type {@code failedRevision} (null: no conflict, answered as
   * one that went live).
   */
  <T> ResponseEntity<T> answer(
      AppRef ref,
      AppChanges.Accepted accepted,
      String prefer,
      String failedRevision,
      Supplier<T> body) {
    if (accepted.change() == null && accepted.revision() == null) {
      return ResponseEntity.ok(body.get());
    }
    reconciler.wake(ref);
    boolean settled;
    URI location;
    if (accepted.change() != null) {
      location = location(ref, "changes", accepted.change());
      Optional<AppChangeStore.State> now =
          waits.awaitChange(ref, accepted.change(), RolloutWait.preferred(prefer));
      settled = now.isEmpty() || now.get().settled();
      if (now.isPresent() && AppChangeStore.State.FAILED.equals(now.get().status())) {
        throw Problem.conflict("unhealthy", now.get().reason());
      }
    } else {
      location = location(ref, "deployments", accepted.revision());
      Optional<RevisionRecord> now =
          waits.awaitRevision(ref, accepted.revision(), RolloutWait.preferred(prefer));
      settled = now.isEmpty() || now.get().settled();
      if (failedRevision != null
          && now.isPresent()
          && RevisionRecord.FAILED.equals(now.get().status())) {
        throw Problem.conflict(failedRevision, now.get().reason());
      }
    }
    return ResponseEntity.status(settled ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .location(location)
        .body(body.get());
  }

  /**
   * The answer to an accepted deletion of the app: the {@link Reconciler} is woken for it, and the
   * caller gets 204 once it was carried out within {@code Prefer: wait=<seconds>}, else 202 with a
   * {@code Location} to poll, {@code .../deletion}, which is 404 once the app is gone.
   */
  ResponseEntity<Void> deletion(AppRef ref, String prefer) {
    reconciler.wake(ref);
    if (waits.awaitDeleted(ref, RolloutWait.preferred(prefer))) {
      return ResponseEntity.noContent().build();
    }
    return ResponseEntity.accepted()
        .location(
            ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/deletion")
                .buildAndExpand(ref.tenant(), ref.project(), ref.app())
                .toUri())
        .build();
  }

  /** Where an accepted change or revision of the app is read: {@code .../{collection}/{number}}. */
  static URI location(AppRef ref, String collection, int number) {
    return ServletUriComponentsBuilder.fromCurrentContextPath()
        .path("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/{collection}/{number}")
        .buildAndExpand(ref.tenant(), ref.project(), ref.app(), collection, number)
        .toUri();
  }
}
