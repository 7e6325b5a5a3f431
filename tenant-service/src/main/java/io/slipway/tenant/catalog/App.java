package io.slipway.tenant.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An app inside a project: an entry in the catalog of what runs. A preview (issue 25) is an app
 * with a parent: its name is {@code <preview>--<parent's name>}, and it has its own id and host
 * like any app, so every other service treats it as one.
 */
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

  /** An app's own name; a preview's is {@code <preview>--<parent>} (see {@link Previews}). */
  @Column(nullable = false, length = 44)
  private String name;

  /** The app a preview previews; null for an app. */
  @ManyToOne(fetch = FetchType.LAZY)
  @JoinColumn(name = "parent_id", updatable = false)
  private App parent;

  /** A preview's own short name, the part before {@code --}; null for an app. */
  @Column(length = 21, updatable = false)
  private String previewName;

  private Integer pullRequest;

  @Column(length = 255)
  private String branch;

  @Column(name = "commit_sha", length = 40)
  private String commit;

  private Instant updatedAt;

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
    // as PostgreSQL keeps it, so the answer that creates it is the answer that reads it
    this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** A preview of {@code parent}, built from its parent's source. */
  static App preview(
      String publicId,
      App parent,
      String previewName,
      String hostLabel,
      Requests.PutPreview push,
      String createdBy) {
    App preview =
        new App(
            publicId,
            parent.tenantId,
            parent.projectId,
            Previews.appName(previewName, parent.name),
            hostLabel,
            parent.source,
            parent.sourceRef,
            createdBy);
    preview.parent = parent;
    preview.previewName = previewName;
    preview.pullRequest = push.pullRequest();
    preview.branch = push.branch();
    preview.commit = push.commit();
    preview.updatedAt = preview.createdAt;
    return preview;
  }

  /**
   * Records what a push told about the preview: each non-null value replaces the stored one.
   *
   * @return whether anything changed
   */
  boolean describe(Requests.PutPreview push) {
    Integer pullRequest = push.pullRequest();
    String branch = push.branch();
    String commit = push.commit();
    boolean changed = false;
    if (pullRequest != null && !pullRequest.equals(this.pullRequest)) {
      this.pullRequest = pullRequest;
      changed = true;
    }
    if (branch != null && !branch.equals(this.branch)) {
      this.branch = branch;
      changed = true;
    }
    if (commit != null && !commit.equals(this.commit)) {
      this.commit = commit;
      changed = true;
    }
    if (changed) {
      updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
    return changed;
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

  /** The app this preview previews, or null when this is an app. */
  public App getParent() {
    return parent;
  }

  public boolean isPreview() {
    return parent != null;
  }

  public String getPreviewName() {
    return previewName;
  }

  public Integer getPullRequest() {
    return pullRequest;
  }

  public String getBranch() {
    return branch;
  }

  public String getCommit() {
    return commit;
  }

  /** When a push last changed what the preview records (its creation at first); null for apps. */
  public Instant getUpdatedAt() {
    return updatedAt;
  }
}
