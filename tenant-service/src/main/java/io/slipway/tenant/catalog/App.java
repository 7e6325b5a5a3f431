package io.slipway.tenant.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.Instant;

/** An app inside a project: an entry in the catalog of what runs. */
@Entity
public class App {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false)
  private Long tenantId;

  @Column(nullable = false)
  private Long projectId;

  /** The immutable, opaque id every runtime name is made from (see {@link CatalogIds}). */
  @Column(nullable = false, unique = true, length = 12, updatable = false)
  private String publicId;

  @Column(nullable = false, length = 21)
  private String name;

  /** The app's default host label, reserved for it alone (see {@link AppHosts}). */
  @Column(nullable = false, unique = true, length = 63, updatable = false)
  private String hostLabel;

  @Column(nullable = false, length = 16)
  private AppSource source;

  @Column(length = 500)
  private String sourceRef;

  @Column(nullable = false)
  private Instant createdAt;

  @Column(nullable = false)
  private String createdBy;

  protected App() {}

  App(
      String publicId,
      long tenantId,
      long projectId,
      String name,
      String hostLabel,
      AppSource source,
      String sourceRef,
      String createdBy) {
    this.publicId = publicId;
    this.hostLabel = hostLabel;
    this.tenantId = tenantId;
    this.projectId = projectId;
    this.name = name;
    this.source = source;
    this.sourceRef = sourceRef;
    this.createdBy = createdBy;
    this.createdAt = Instant.now();
  }

  public Long getId() {
    return id;
  }

  public Long getTenantId() {
    return tenantId;
  }

  public Long getProjectId() {
    return projectId;
  }

  public String getPublicId() {
    return publicId;
  }

  public String getHostLabel() {
    return hostLabel;
  }

  public String getName() {
    return name;
  }

  public AppSource getSource() {
    return source;
  }

  public String getSourceRef() {
    return sourceRef;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public String getCreatedBy() {
    return createdBy;
  }
}
