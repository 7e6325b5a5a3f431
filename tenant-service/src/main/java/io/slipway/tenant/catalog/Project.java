package io.slipway.tenant.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.Duration;
import java.time.Instant;

/** A project inside a tenant: one Kubernetes namespace, one isolated network. */
@Entity
public class Project {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false)
  private Long tenantId;

  /** The immutable, opaque id every runtime name is made from (see {@link CatalogIds}). */
  @Column(nullable = false, unique = true, length = 12, updatable = false)
  private String publicId;

  @Column(nullable = false, length = 20)
  private String name;

  @Column(nullable = false, length = 100)
  private String displayName;

  @Column(nullable = false)
  private Instant createdAt;

  @Column(nullable = false)
  private String createdBy;

  /** How long a preview may go without a push; null follows the platform's default. */
  private Long previewTtlSeconds;

  @Column(nullable = false, length = 16)
  private String previewPolicy = PreviewPolicy.REFUSE.value();

  /**
   * Whether pull requests from forks may have previews (built without egress, run without secrets).
   */
  @Column(nullable = false)
  private boolean previewAllowForks;

  protected Project() {}

  Project(String publicId, long tenantId, String name, String displayName, String createdBy) {
    this.publicId = publicId;
    this.tenantId = tenantId;
    this.name = name;
    this.displayName = displayName;
    this.createdBy = createdBy;
    this.createdAt = Instant.now();
  }

  public Long getId() {
    return id;
  }

  public Long getTenantId() {
    return tenantId;
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

  public Instant getCreatedAt() {
    return createdAt;
  }

  public String getCreatedBy() {
    return createdBy;
  }

  /** The project's own preview TTL, or null when it follows the platform's default. */
  Duration getPreviewTtl() {
    return previewTtlSeconds == null ? null : Duration.ofSeconds(previewTtlSeconds);
  }

  PreviewPolicy getPreviewPolicy() {
    return PreviewPolicy.of(previewPolicy);
  }

  boolean getPreviewAllowForks() {
    return previewAllowForks;
  }

  void setPreviewSettings(Duration ttl, PreviewPolicy policy, boolean allowForks) {
    this.previewTtlSeconds = ttl == null ? null : ttl.toSeconds();
    this.previewPolicy = policy.value();
    this.previewAllowForks = allowForks;
  }
}
