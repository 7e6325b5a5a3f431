package io.slipway.runtime.driver;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs revisions of apps on a container runtime (Podman on one machine, Kubernetes on a cluster).
 * The reconciler is the only caller; it decides what should run, a driver only makes it so and
 * reports what it sees.
 *
 * <p><b>Contract.</b> Every method is synchronous (it returns once the runtime has accepted the
 * change, not once the app is healthy) and idempotent: calling it again with the same arguments
 * changes nothing and creates no duplicate. Revisions are independent: several revisions of one app
 * may run side by side (the new one starts before the old one stops), and applying or removing one
 * never touches another. Everything a driver creates carries the {@link
 * io.slipway.runtime.render.Labels ownership labels}, so that {@link #apps()} finds it again after
 * a restart, including orphans nobody asked for any more.
 *
 * <p>A driver is safe to call from one thread per app at a time; different apps may be handled
 * concurrently.
 */
public interface RuntimeDriver {

  /**
   * Makes this revision of the app run with {@code spec.replicas()} instances, creating what its
   * project and app need (namespace or network, policies, service) when missing. A second call with
   * an equal spec changes nothing; a call with another replica count scales the revision (extra
   * instances are removed, missing ones started); an instance that has exited is started again.
   */
  void apply(AppSpec spec);

  /**
   * Stops and deletes one revision's instances. Removing a revision that does not exist (or no
   * longer exists) does nothing.
   */
  void remove(AppRef ref, int revision);

  /**
   * Starts a revision of which nothing exists yet (a rollout's new revision): the same outcome as
   * {@link #apply}, which a driver may reach without first looking at what runs.
   */
  default void applyNew(AppSpec spec) {
    apply(spec);
  }

  /**
   * Deletes everything of the app: every revision and the app's own objects (service, route
   * policy). The project's namespace or network stays. Removing an unknown app does nothing.
   */
  void removeApp(AppRef ref);

  /**
   * The app is deleted: gives up its hold on the images the runtime fetched from a registry for it.
   * An image the runtime pulled that no other app holds and nothing of anyone's runs from is
   * deleted from the host's store; an image it did not pull (a local build, one an operator put
   * there) is never deleted here. Idempotent. A runtime whose nodes collect their own images (as
   * Kubernetes' kubelet does) does nothing.
   */
  default void releaseImages(AppRef ref) {}

  /**
   * Retention: no kept revision of any app runs {@code image} any more (the caller decided that).
   * Removes from the runtime's store the names of it that are the tenant's own builds, and the
   * image with its last name, unless a container (anyone's) was made from it; an image the runtime
   * pulled from a registry for the app loses the app's hold and is deleted as {@link
   * #releaseImages} would. Never forced, never a name outside the tenant's builds. Idempotent: an
   * image already gone is {@link RetiredImage.Removal#REMOVED}. A runtime whose images live in a
   * registry (Kubernetes: nodes pull by digest and collect their own) removes nothing and answers
   * {@link RetiredImage.Removal#KEPT}, which is also the default.
   */
  default RetiredImage.Removal removeImage(RetiredImage image) {
    return RetiredImage.Removal.KEPT;
  }

  /**
   * Deletes the project's namespace or network with whatever is still in it (its project was
   * deleted). Removing one that does not exist does nothing.
   */
  void removeProject(String projectId);

  /**
   * Deletes the namespace or network of every project of the tenant, found by its ownership labels,
   * with whatever is still in them (the tenant was deleted). Idempotent.
   */
  void removeTenant(String tenantId);

  /** What runs for the app, one entry per revision present, by revision number. */
  List<RevisionState> observe(AppRef ref);

  /**
   * What runs of one revision of the app, as {@link #observe(AppRef)} tells it; empty when nothing
   * of it exists. A driver may answer faster than by observing the whole app.
   */
  default Optional<RevisionState> observe(AppRef ref, int revision) {
    return observe(ref).stream().filter(state -> state.revision() == revision).findFirst();
  }

  /**
   * The instances {@code spec} asks for (its revision, replicas {@code 0..n-1}) as far as they
   * exist; empty when none does. A driver may look them up by name instead of observing the app.
   */
  default Optional<RevisionState> observe(AppSpec spec) {
    return observe(spec.ref(), spec.revision());
  }

  /** Every app this driver holds anything of, found by its ownership labels. */
  Set<AppRef> apps();

  /**
   * Brings the isolation of these projects' networks in line with their egress settings: the
   * projects the bridge holds apps of, called on start-up and on every reconcile pass. Level-based
   * and idempotent; a driver whose isolation lives elsewhere (rendered with each app) does nothing.
   */
  default void secureNetworks(Set<String> projectIds) {}

  /**
   * The project's egress setting changed: what runs now follows it (the setting itself is read from
   * where the bridge keeps it). Idempotent.
   */
  default void egressChanged(String projectId) {}
}
