package io.slipway.runtime.admission;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which images a tenant may deploy at all, decided on the reference alone before anything is looked
 * up, so that a refusal is the same whether or not the image exists and never names another
 * tenant's repository or digest:
 *
 * <ul>
 *   <li>an image id (short or full) is refused: images are named by repository and pinned by full
 *       digest, and an id could name any tenant's image in the shared store;
 *   <li>a digest must be a full {@code sha256:} digest;
 *   <li>an image under the platform's build prefix ({@code <prefix>/<tenant id>/...}, where
 *       build-service names what it builds) must be under this tenant's own repository; the
 *       platform's own images ({@code <prefix>/slipway/...}, its stacks) are anyone's.
 * </ul>
 *
 * Images from elsewhere (a registry) are left to the tenant's policy (allowed registries,
 * signature, vulnerabilities).
 */
final class TenantImages {

  private static final Pattern IMAGE_ID = Pattern.compile("(sha256:)?[0-9a-f]{6,64}");
  private static final Pattern FULL_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private TenantImages() {}

  /**
   * Why the tenant whose id is {@code tenant} may not deploy {@code image} (with {@code digest}, if
   * given apart), or empty when the reference is acceptable.
   */
  static Optional<String> refusal(String tenant, String buildPrefix, String image, String digest) {
    int at = image.indexOf('@');
    String name = at < 0 ? image : image.substring(0, at);
    String given = at < 0 ? digest : image.substring(at + 1);
    if (IMAGE_ID.matcher(name).matches()) {
      return Optional.of(
          "an image id cannot be deployed: name the image by its repository and full digest"
              + " (repository@sha256:...)");
    }
    if (given != null && !FULL_DIGEST.matcher(given).matches()) {
      return Optional.of("a digest must be a full sha256 digest (sha256: and 64 hex digits)");
    }
    String prefix = buildPrefix.endsWith("/") ? buildPrefix : buildPrefix + "/";
    if (name.startsWith(prefix)
        && !name.startsWith(prefix + tenant + "/")
        && !name.startsWith(prefix + "slipway/")) {
      return Optional.of(
          "images built on this platform are deployed only by the tenant they were built for");
    }
    return Optional.empty();
  }
}
