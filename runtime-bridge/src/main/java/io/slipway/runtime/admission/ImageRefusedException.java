package io.slipway.runtime.admission;

import io.slipway.kit.problem.Problem;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * Admission refused an image: 422 {@code image-refused}, whose {@code detail} and {@code reasons}
 * say exactly why (one sentence per failed rule).
 */
public final class ImageRefusedException extends Problem {

  private static final long serialVersionUID = 1L;

  private final transient List<String> reasons;

  ImageRefusedException(String image, String digest, List<String> reasons, List<String> waived) {
    super(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "image-refused",
        "Image refused",
        "Image " + image + " was refused by the image policy: " + String.join("; ", reasons));
    this.reasons = List.copyOf(reasons);
    with("image", image);
    if (digest != null) {
      with("digest", digest);
    }
    with("reasons", this.reasons);
    with("waived", List.copyOf(waived));
  }

  /** Why, one sentence per failed rule. */
  public List<String> reasons() {
    return reasons;
  }
}
