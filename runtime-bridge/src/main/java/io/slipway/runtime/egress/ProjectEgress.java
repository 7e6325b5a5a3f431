package io.slipway.runtime.egress;

import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Whether each project's apps may open connections to the outside (never to the platform's host nor
 * to other projects), kept in PostgreSQL by project id. A project without a row is closed.
 */
@Repository
public class ProjectEgress {

  private final JdbcClient jdbc;

  ProjectEgress(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Whether the project opted in. */
  public boolean allowed(String projectId) {
    return jdbc.sql("select allowed from project_egress where project_id = ?")
        .param(projectId)
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /** The projects that opted in. */
  public Set<String> allowedProjects() {
    return Set.copyOf(
        jdbc.sql("select project_id from project_egress where allowed").query(String.class).list());
  }

  void set(String tenantId, String projectId, boolean allowed, String by) {
    jdbc.sql(
            "insert into project_egress (project_id, tenant_id, allowed, updated_by)"
                + " values (?, ?, ?, ?) on conflict (project_id) do update"
                + " set allowed = excluded.allowed, updated_by = excluded.updated_by,"
                + " updated_at = now()")
        .params(projectId, tenantId, allowed, by)
        .update();
  }

  /** A deleted project's setting goes with it: a project made again later starts closed. */
  public void forgetProject(String projectId) {
    jdbc.sql("delete from project_egress where project_id = ?").param(projectId).update();
  }

  /** A deleted tenant's settings go with it. */
  public void forgetTenant(String tenantId) {
    jdbc.sql("delete from project_egress where tenant_id = ?").param(tenantId).update();
  }
}
