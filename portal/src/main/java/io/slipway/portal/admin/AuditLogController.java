package io.slipway.portal.admin;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.AuditEvent;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.portal.web.ServiceApis;
import java.time.Instant;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/** The platform's audit log for platform admins, filtered by tenant and actor. */
@Controller
class AuditLogController {

  private static final int PAGE_SIZE = 50;

  private final TenantService tenants;
  private final ServiceApis apis;

  AuditLogController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.apis = apis;
  }

  /**
   * A row of the log; {@code before} and {@code after} are the changed object's JSON as recorded,
   * empty when there is none. Public, for the template engine's reflection.
   */
  public record AuditRow(
      Instant at, String actor, String action, String target, String before, String after) {

    static AuditRow of(AuditEvent event) {
      return new AuditRow(
          event.at(),
          event.actor(),
          event.action(),
          event.target(),
          json(event.before()),
          json(event.after()));
    }

    private static String json(JsonNode document) {
      return document == null || document.isNull() ? "" : document.toString();
    }
  }

  @GetMapping("/admin/audit")
  String audit(
      @RequestParam(defaultValue = "") String tenant,
      @RequestParam(defaultValue = "") String actor,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    Page<AuditEvent> result =
        tenants.audit(
            tenant.isBlank() ? null : tenant,
            actor.isBlank() ? null : actor,
            Math.max(0, page),
            PAGE_SIZE,
            apis.bearer());
    model.addAttribute("events", result.items().stream().map(AuditRow::of).toList());
    model.addAttribute("tenant", tenant);
    model.addAttribute("actor", actor);
    model.addAttribute("page", page);
    model.addAttribute("pages", (result.total() + PAGE_SIZE - 1) / PAGE_SIZE);
    return "admin/audit";
  }
}
