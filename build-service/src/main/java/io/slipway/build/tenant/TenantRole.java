package io.slipway.build.tenant;

import java.util.Arrays;

/** A member's role in a tenant, as tenant-service names it; each includes the ones before it. */
public enum TenantRole {
  VIEWER("viewer"),
  DEVELOPER("developer"),
  TENANT_ADMIN("tenant-admin");

  private final String value;

  TenantRole(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public boolean atLeast(TenantRole other) {
    return compareTo(other) >= 0;
  }

  static TenantRole of(String value) {
    return Arrays.stream(values())
        .filter(role -> role.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown role: " + value));
  }
}
