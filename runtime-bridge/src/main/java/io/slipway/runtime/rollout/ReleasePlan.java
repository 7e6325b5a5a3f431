package io.slipway.runtime.rollout;

import io.slipway.runtime.model.AppManifest;
import io.slipway.runtime.model.AppManifest.HealthCheck;
import io.slipway.runtime.model.AppManifest.ReleaseStep;
import java.util.List;

/**
 * What a deploy does besides starting and routing its revision, from the image's Procfile and
 * {@code app.json}: one-off commands before the switch (their failure stops the deploy), one after
 * it (its failure is reported only), and the web type's own health check.
 *
 * @param before commands run in order before any traffic moves ({@code predeploy}, {@code release})
 * @param after {@code postdeploy}, or null
 * @param healthcheck the {@code app.json} check of the web type, or null: the default check
 */
public record ReleasePlan(List<ReleaseStep> before, ReleaseStep after, HealthCheck healthcheck) {

  /** A deploy with nothing of the kind (rollbacks, restarts, configuration changes). */
  public static final ReleasePlan NONE = new ReleasePlan(List.of(), null, null);

  public ReleasePlan {
    before = List.copyOf(before);
  }

  /** The plan an image's labels make: its Procfile's {@code release} and its app.json. */
  public static ReleasePlan of(String release, AppManifest manifest) {
    return new ReleasePlan(
        manifest.before(release),
        manifest.postdeploy() == null ? null : new ReleaseStep("postdeploy", manifest.postdeploy()),
        manifest.healthcheck());
  }
}
