package io.slipway.tenant.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a personal access token may be used for. */
public enum TokenScope {
  /** The REST API of every Slipway service, as the token's owner. */
  API("api"),
  /** Git over HTTP (the token is the password), verified by build-service through this service. */
  GIT("git");

  private final String value;

  TokenScope(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  /** Parses {@code api} or {@code git}. */
  @JsonCreator
  public static TokenScope of(String value) {
    return Arrays.stream(values())
        .filter(scope -> scope.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("scope must be one of api, git"));
  }
}
