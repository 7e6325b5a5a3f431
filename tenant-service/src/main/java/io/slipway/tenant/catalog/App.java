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

  @Column(nullable = false, length = 21)
  private String name;

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
      long tenantId,
      long projectId,
      String name,
      AppSource source,
      String sourceRef,
      String createdBy) {
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
