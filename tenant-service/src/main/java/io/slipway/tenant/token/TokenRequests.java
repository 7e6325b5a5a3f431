package io.slipway.tenant.token;

import io.slipway.kit.validation.Limits;
import io.slipway.tenant.access.TokenScope;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Request bodies of the token API, validated at the edge. */
final class TokenRequests {

  static final int DEFAULT_DAYS = 30;
  static final int MAX_DAYS = 365;

  // Scopes arrive as strings so that a wrong one is named in the problem's errors, not refused as
  // an unreadable body.
  private static final String SCOPE = "api|git";
  private static final String SCOPE_MESSAGE = "must be one of api, git";

  private TokenRequests() {}

  /**
   * A new token for the caller.
   *
   * @param expiresInDays 1 to 365; omitted: 30. Every token expires, so a forgotten one stops
   *     working on its own.
   */
  record CreateToken(
      @NotBlank
          @Size(max = Limits.DISPLAY_NAME_MAX)
          @Pattern(
              regexp = "[^\\p{Cntrl}]*",
              message = "must be one line without control characters")
          String name,
      @NotEmpty List<@NotNull @Pattern(regexp = SCOPE, message = SCOPE_MESSAGE) String> scopes,
      @Min(1) @Max(MAX_DAYS) Integer expiresInDays) {

    Set<TokenScope> scopeSet() {
      Set<TokenScope> set = EnumSet.noneOf(TokenScope.class);
      scopes.forEach(scope -> set.add(TokenScope.of(scope)));
      return set;
    }

    int days() {
      return expiresInDays == null ? DEFAULT_DAYS : expiresInDays;
    }
  }

  /**
   * A service asks whether {@code token} is valid for {@code scope} and, when {@code tenant} is
   * given, what its owner's role in that tenant is (one call for a git push's every check).
   */
  record VerifyToken(
      @NotNull String token,
      @NotNull @Pattern(regexp = SCOPE, message = SCOPE_MESSAGE) String scope,
      @Size(max = 63) String tenant) {}
}
