package io.slipway.tenant.events;

import io.slipway.kit.problem.Problem;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.ServiceCaller;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every app of the catalog, for runtime-bridge only (anyone else: 403): its router answers the host
 * of an app that exists but was never deployed with "not deployed yet" rather than "no app here",
 * and it learns that an app exists from this list, read whole on each of its passes (level-based:
 * an app missing from it no longer exists). Paged by app id, which never changes.
 */
@RestController
class CatalogAppsController {

  static final int MAX_LIMIT = 1000;

  private final JdbcClient jdbc;

  CatalogAppsController(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * An app with its ids, names and reserved host label.
   *
   * @param hostLabel the app answers at {@code <hostLabel>.apps.<domain>}
   */
  record CatalogApp(
      String tenantId,
      String projectId,
      String appId,
      String tenant,
      String project,
      String app,
      String hostLabel) {}

  /** The page of apps whose id follows {@code after}; {@code next} is the id to ask with next. */
  record AppPage(List<CatalogApp> items, String next) {}

  @GetMapping("/api/v1/internal/apps")
  @Transactional(readOnly = true)
  AppPage apps(
      @ServiceCaller({"runtime-bridge"}) Actor actor,
      @RequestParam(defaultValue = "") String after,
      @RequestParam(defaultValue = "500") int limit) {
    if (limit < 1 || limit > MAX_LIMIT || after.length() > 12) {
      throw Problem.invalid(
          "invalid-page", "limit must be between 1 and " + MAX_LIMIT + ", after an app id");
    }
    List<CatalogApp> items =
        jdbc.sql(
                "select t.public_id as tenant_id, p.public_id as project_id,"
                    + " a.public_id as app_id, t.name as tenant, p.name as project,"
                    + " a.name as app, a.host_label"
                    + " from app a join project p on p.id = a.project_id"
                    + " join tenant t on t.id = a.tenant_id"
                    + " where a.public_id > ? order by a.public_id limit ?")
            .params(after, limit)
            .query(
                (rs, row) ->
                    new CatalogApp(
                        rs.getString("tenant_id"),
                        rs.getString("project_id"),
                        rs.getString("app_id"),
                        rs.getString("tenant"),
                        rs.getString("project"),
                        rs.getString("app"),
                        rs.getString("host_label")))
            .list();
    return new AppPage(items, items.isEmpty() ? after : items.getLast().appId());
  }
}
