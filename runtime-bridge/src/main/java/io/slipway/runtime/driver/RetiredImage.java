package io.slipway.runtime.driver;

import io.slipway.runtime.model.AppRef;
import java.util.Objects;

/**
 * An image no revision kept by retention runs any more: the one an old revision of {@code app} was
 * created from.
 *
 * @param app the app whose revision ran it
 * @param reference what the revision ran ({@code repository@digest}, or the name it was deployed by
 *     when it has no digest)
 * @param tenantBuilds the prefix of every name the platform gives the builds of the app's tenant
 *     ({@code <build prefix>/<tenant id>/}): names under it are the tenant's own; any other local
 *     name (the platform's stacks, another tenant's build, an operator's image) is never removed
 */
public record RetiredImage(AppRef app, String reference, String tenantBuilds) {

  public RetiredImage {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(reference, "reference");
    if (!tenantBuilds.endsWith("/" + app.tenantId() + "/")) {
      throw new IllegalArgumentException(
          "tenantBuilds must end with the app's tenant id: " + tenantBuilds);
    }
  }

  /** What became of a retired image. */
  public enum Removal {
    /** The store no longer has it under the reference (also when it never had it). */
    REMOVED,
    /** A container (anyone's) still runs from it: asked again later. */
    IN_USE,
    /**
     * It stays where rollback finds it: it is not the tenant's to remove, it comes from a registry
     * that still holds it (the runtime's local copy may be gone), or the runtime keeps no images.
     */
    KEPT
  }
}
