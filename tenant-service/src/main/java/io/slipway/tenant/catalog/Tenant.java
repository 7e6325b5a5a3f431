package io.slipway.tenant.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.Instant;

/** A tenant: the unit of isolation, membership and quota. */
@Entity
public class Tenant {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  /** The immutable, opaque id every runtime name is made from (see {@link CatalogIds}). */
  @Column(nullable = false, unique = true, length = 12, updatable = false)
  private String publicId;

  @Column(nullable = false, unique = true, length = 20)
  private String name;

  @Column(nullable = false, length = 100)
  private String displayName;

  @Column(nullable = false)
  private Instant createdAt;

  @Column(nullable = false)
  private String createdBy;

  protected Tenant() {}

  Tenant(String publicId, String name, String displayName, String createdBy) {
    this.publicId = publicId;
    this.name = name;
    this.displayName = displayName;
    this.createdBy = createdBy;
    this.createdAt = Instant.now();
  }

  public Long getId() {
    return id;
  }

  public String getPublicId() {
    return publicId;
  }

  public String getName() {
    return name;
  }

  public String getDisplayName() {
    return displayName;
  }

  void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public String getCreatedBy() {
    return createdBy;
  }
}
