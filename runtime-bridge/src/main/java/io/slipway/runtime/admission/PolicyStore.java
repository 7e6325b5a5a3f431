package io.slipway.runtime.admission;

import io.slipway.governance.policy.ImagePolicy;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin's floor (table {@code image_policy}, scope {@code *}), and tenants' and projects'
 * tightenings by id (tables {@code tenant_image_policy} and {@code project_image_policy}). A
 * tenant's policy from before ids were used, which the migration could not tie to one tenant id, is
 * still read by the tenant's name from {@code image_policy} until the tenant's policy is saved.
 */
@Repository
class PolicyStore {

  static final String FLOOR = "*";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;

  PolicyStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<ImagePolicy> findFloor() {
    return one(jdbc.sql("select policy from image_policy where scope = ?").param(FLOOR));
  }

  void saveFloor(ImagePolicy policy, String by) {
    jdbc.sql(
            """
            insert into image_policy (scope, policy, updated_by) values (?, ?, ?)
            on conflict (scope) do update set policy = excluded.policy,
                updated_by = excluded.updated_by, updated_at = now()
            """)
        .params(FLOOR, JSON.writeValueAsString(PolicyDocument.of(policy)), by)
        .update();
  }

  /** The tenant's policy by its id, else one kept by its name from before ids were used. */
  Optional<ImagePolicy> findTenant(String tenantId, String name) {
    return one(jdbc.sql("select policy from tenant_image_policy where tenant_id = ?")
            .param(tenantId))
        .or(
            () ->
                one(
                    jdbc.sql("select policy from image_policy where scope = ? and scope <> ?")
                        .params(name, FLOOR)));
  }

  /** Saves the tenant's policy by its id; one kept by its name goes. */
  @Transactional
  void saveTenant(String tenantId, String name, ImagePolicy policy, String by) {
    jdbc.sql(
            """
            insert into tenant_image_policy (tenant_id, policy, updated_by) values (?, ?, ?)
            on conflict (tenant_id) do update set policy = excluded.policy,
                updated_by = excluded.updated_by, updated_at = now()
            """)
        .params(tenantId, JSON.writeValueAsString(PolicyDocument.of(policy)), by)
        .update();
    jdbc.sql("delete from image_policy where scope = ? and scope <> ?")
        .params(name, FLOOR)
        .update();
  }

  Optional<ImagePolicy> findProject(String projectId) {
    return one(
        jdbc.sql("select policy from project_image_policy where project_id = ?").param(projectId));
  }

  void saveProject(String tenantId, String projectId, ImagePolicy policy, String by) {
    jdbc.sql(
            """
            insert into project_image_policy (project_id, tenant_id, policy, updated_by)
            values (?, ?, ?, ?)
            on conflict (project_id) do update set policy = excluded.policy,
                updated_by = excluded.updated_by, updated_at = now()
            """)
        .params(projectId, tenantId, JSON.writeValueAsString(PolicyDocument.of(policy)), by)
        .update();
  }

  void forgetProject(String projectId) {
    jdbc.sql("delete from project_image_policy where project_id = ?").param(projectId).update();
  }

  @Transactional
  void forgetTenant(String tenantId) {
    jdbc.sql("delete from project_image_policy where tenant_id = ?").param(tenantId).update();
    jdbc.sql("delete from tenant_image_policy where tenant_id = ?").param(tenantId).update();
  }

  private static Optional<ImagePolicy> one(JdbcClient.StatementSpec query) {
    return query
        .query(String.class)
        .optional()
        .map(json -> JSON.readValue(json, PolicyDocument.class).toPolicy(false));
  }
}
