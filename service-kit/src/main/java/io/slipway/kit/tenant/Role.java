package io.slipway.kit.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * A member's role in a tenant, as tenant-service grants it and every other service and the portal
 * read it; each role may do everything the roles before it may.
 */
public enum Role {
  /** Reads everything in the tenant. */
  VIEWER("viewer"),
  /** Creates projects and apps, pushes code, deploys and reserves compute. */
  DEVELOPER("developer"),
  /** Manages members, project quotas, image policy, and deletes projects and the tenant. */
  TENANT_ADMIN("tenant-admin");

  private final String value;

  Role(String value) {
    this.value = value;
  }

  /** The name in JSON bodies: {@code viewer}, {@code developer} or {@code tenant-admin}. */
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
    return parse(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "role must be one of viewer, developer, tenant-admin"));
  }

  /** The role of that name; empty for null, blank or an unknown name. */
  public static Optional<Role> parse(String value) {
    return Arrays.stream(values()).filter(role -> role.value.equals(value)).findFirst();
  }
}
