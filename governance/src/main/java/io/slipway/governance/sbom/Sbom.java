package io.slipway.governance.sbom;

import java.time.Instant;
import java.util.List;

/**
 * The software bill of materials of one image.
 *
 * @param imageReference the reference the image was described under
 * @param manifestDigest the image's manifest digest; the SBOM describes exactly this image
 * @param created when it was made
 * @param components the packages found, sorted by purl, without duplicates
 */
public record Sbom(
    String imageReference, String manifestDigest, Instant created, List<Component> components) {

  public Sbom {
    components = List.copyOf(components);
  }
}
