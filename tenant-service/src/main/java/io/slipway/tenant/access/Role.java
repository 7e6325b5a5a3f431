package io.slipway.tenant.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** A member's role in a tenant; each role may do everything the roles before it may. */
public enum Role {
  /** Reads everything in the tenant. */
  VIEWER("viewer"),
  /** Creates projects and apps, pushes code, deploys and reserves compute. */
  DEVELOPER("developer"),
  /** Manages members, project quotas, and deletes projects and the tenant. */
  TENANT_ADMIN("tenant-admin");

  private final String value;

  Role(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }

  /** Parses {@code viewer}, {@code developer} or {@code tenant-admin}. */
  @JsonCreator
  public static Role of(String value) {
    return Arrays.stream(values())
        .filter(role -> role.value.equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "role must be one of viewer, developer, tenant-admin"));
  }
}
