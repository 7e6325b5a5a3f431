package io.slipway.tenant.token;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a token works: revoked wins over expired, since revoking is what its owner did. */
enum TokenStatus {
  ACTIVE,
  EXPIRED,
  REVOKED;

  /** Computes the status in SQL, on the database's clock, the one that wrote the timestamps. */
  static final String SQL =
      "case when revoked_at is not null then 'revoked'"
          + " when expires_at <= now() then 'expired' else 'active' end";

  @JsonValue
  String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  static TokenStatus of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
