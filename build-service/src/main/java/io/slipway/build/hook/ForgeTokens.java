package io.slipway.build.hook;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.secret.SecretBox;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Seals the forge tokens of commit status at rest with the platform's secret sealing ({@link
 * SecretBox}) under {@code slipway.build.secret-key}, bound to the app's id so a sealed token
 * copied to another app's row does not open. Without a key no token can be set: commit status stays
 * off.
 */
@Component
class ForgeTokens {

  private final Optional<SecretBox> box;

  ForgeTokens(
      @Value("${slipway.build.secret-key:}") String key,
      @Value("${slipway.build.previous-secret-keys:}") String previousKeys) {
    // checked at start-up when set: a malformed key fails naming the setting, never showing it
    this.box =
        key.isBlank()
            ? Optional.empty()
            : Optional.of(SecretBox.fromBase64(key, previousKeys, "slipway.build"));
  }

  String seal(String token, String appId) {
    return box.orElseThrow(
            () ->
                Problem.conflict(
                    "secret-key-missing",
                    "Commit status cannot be set on this platform: its forge token would be"
                        + " stored unsealed. The operator sets slipway.build.secret-key"
                        + " (SLIPWAY_BUILD_SECRET_KEY) to turn it on"))
        .seal(token, context(appId));
  }

  /**
   * The token, or empty when this instance has no key or the key it was sealed under is gone (the
   * developer sets it again).
   */
  Optional<String> open(String sealed, String appId) {
    try {
      return box.map(b -> b.open(sealed, context(appId)));
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a sealed token is under another key than the current one (a rotation replaced it), so
   * that re-sealing moves it; false when this instance has no key.
   */
  boolean underAnotherKey(String sealed) {
    return box.map(b -> !sealed.startsWith(b.currentKeyPrefix())).orElse(false);
  }

  private static String context(String appId) {
    return "commit-status " + appId;
  }
}
