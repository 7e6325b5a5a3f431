package io.slipway.tenant.catalog;

/**
 * What the catalog asks of the quota feature, inside the catalog's own transaction so that a
 * refusal rolls the change back. Implemented by the quota feature.
 */
public interface QuotaGate {

  /** Gives a new tenant its default quota. Called once, in the transaction that creates it. */
  void tenantCreated(long tenantId);

  /**
   * Refuses (with a problem naming the quota and the numbers) when one more app would exceed the
   * tenant's or the project's {@code apps} quota. Serializes with every other admission in the
   * tenant, so concurrent creations cannot overshoot.
   */
  void admitApp(long tenantId, String tenant, Project project);

  /**
   * As {@link #admitApp} for one more preview (issue 25) under the {@code previews} quota, which
   * counts previews apart from apps: a project at its apps limit may still get previews.
   */
  void admitPreview(long tenantId, String tenant, Project project);

  /**
   * Whether one more preview fits both the tenant's and the project's {@code previews} quota. Takes
   * the lock {@link #admitPreview} takes, so that a caller who makes room and then admits is not
   * overtaken by another admission in the tenant.
   */
  boolean previewFits(long tenantId, Project project);
}
