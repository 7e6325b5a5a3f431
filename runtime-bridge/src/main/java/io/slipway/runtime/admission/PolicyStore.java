package io.slipway.runtime.admission;

import io.slipway.governance.policy.ImagePolicy;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin's floor (scope {@code *}) and tenants' policies, table {@code image_policy}; projects'
 * tightenings by project id, table {@code project_image_policy}.
 */
@Repository
class PolicyStore {

  static final String FLOOR = "*";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;

  PolicyStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<ImagePolicy> find(String scope) {
    return jdbc.sql("select policy from image_policy where scope = ?")
        .param(scope)
        .query(String.class)
        .optional()
        .map(json -> JSON.readValue(json, PolicyDocument.class).toPolicy(false));
  }

  void save(String scope, ImagePolicy policy, String by) {
    jdbc.sql(
            """
            insert into image_policy (scope, policy, updated_by) values (?, ?, ?)
            on conflict (scope) do update set policy = excluded.policy,
                updated_by = excluded.updated_by, updated_at = now()
            """)
        .params(scope, JSON.writeValueAsString(PolicyDocument.of(policy)), by)
        .update();
  }

  Optional<ImagePolicy> findProject(String projectId) {
    return jdbc.sql("select policy from project_image_policy where project_id = ?")
        .param(projectId)
        .query(String.class)
        .optional()
        .map(json -> JSON.readValue(json, PolicyDocument.class).toPolicy(false));
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

  void forgetTenant(String tenantId) {
    jdbc.sql("delete from project_image_policy where tenant_id = ?").param(tenantId).update();
  }
}
