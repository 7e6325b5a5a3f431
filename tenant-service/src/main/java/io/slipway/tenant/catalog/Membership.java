package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import java.io.Serializable;
import java.time.Instant;

/** A user's role in a tenant. Identity comes from Keycloak; authorization lives here. */
@Entity
class Membership {

  @EmbeddedId private Key key;

  @Convert(converter = RoleConverter.class)
  @Column(nullable = false, length = 16)
  private Role role;

  @Column(nullable = false)
  private Instant createdAt;

  protected Membership() {}

  Membership(long tenantId, String username, Role role) {
    this.key = new Key(tenantId, username);
    this.role = role;
    this.createdAt = Instant.now();
  }

  String username() {
    return key.username;
  }

  Role role() {
    return role;
  }

  void role(Role role) {
    this.role = role;
  }

  Instant createdAt() {
    return createdAt;
  }

  @Embeddable
  record Key(@Column(name = "tenant_id") long tenantId, @Column(name = "username") String username)
      implements Serializable {}
}
