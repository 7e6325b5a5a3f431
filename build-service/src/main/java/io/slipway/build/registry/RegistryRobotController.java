package io.slipway.build.registry;

import io.slipway.build.tenant.TenantClient;
import io.slipway.build.tenant.TenantClient.TenantSeen;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's registry robot accounts: create (the password shown once), list, revoke. Callers who
 * may not read the tenant get 404, as for a missing tenant; managing robots needs the tenant-admin
 * role (anyone else in the tenant gets 403).
 */
@RestController
@ConditionalOnProperty(name = "slipway.build.registry.auth.enabled", havingValue = "true")
@RequestMapping("/api/v1/tenants/{tenant}/registry-robots")
class RegistryRobotController {

  /** A robot to create; {@code access} is {@code read} (the default) or {@code read-write}. */
  record NewRobot(String name, String access) {}

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final TenantClient tenants;
  private final RegistryRobots robots;
  private final RegistryAuthProperties properties;
  private final AuditRecorder audit;
  private final TransactionTemplate tx;

  RegistryRobotController(
      TenantClient tenants,
      RegistryRobots robots,
      RegistryAuthProperties properties,
      AuditRecorder audit,
      TransactionTemplate tx) {
    this.tenants = tenants;
    this.robots = robots;
    this.properties = properties;
    this.audit = audit;
    this.tx = tx;
  }

  @GetMapping
  List<RegistryRobots.Robot> list(
      @AuthenticationPrincipal Jwt caller, @PathVariable String tenant) {
    return robots.list(tenantAdminOf(caller, tenant).id());
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  RegistryRobots.Created create(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @RequestBody(required = false) NewRobot body) {
    TenantSeen seen = tenantAdminOf(caller, tenant);
    if (body == null || body.name() == null || !LABEL.matcher(body.name()).matches()) {
      throw Problem.invalid(
          "invalid-robot-name",
          "A robot's name is a DNS-1123 label: 1 to 63 lower-case letters, digits and '-',"
              + " starting and ending with a letter or digit");
    }
    String access = body.access() == null ? "read" : body.access();
    if (!access.equals("read") && !access.equals("read-write")) {
      throw Problem.invalid(
          "invalid-robot-access", "A robot's access is read (pull) or read-write (pull and push)");
    }
    return tx.execute(
        status -> {
          if (robots.count(seen.id()) >= properties.maxRobots()) {
            throw Problem.conflict(
                "too-many-robots",
                tenant
                    + " has "
                    + properties.maxRobots()
                    + " registry robots, the most a tenant may have: delete one first");
          }
          RegistryRobots.Created created =
              robots
                  .create(seen.id(), tenant, body.name(), access, username(caller))
                  .orElseThrow(
                      () ->
                          Problem.conflict(
                              "robot-exists",
                              tenant
                                  + " already has a registry robot named "
                                  + body.name()
                                  + ": delete it first to replace its password"));
          audit.record(
              caller, tenant, "registry-robot.created", body.name(), Map.of("access", access));
          return created;
        });
  }

  @DeleteMapping("/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @AuthenticationPrincipal Jwt caller, @PathVariable String tenant, @PathVariable String name) {
    TenantSeen seen = tenantAdminOf(caller, tenant);
    tx.executeWithoutResult(
        status -> {
          if (!robots.delete(seen.id(), name)) {
            throw Problem.notFound("registry robot", name);
          }
          audit.record(caller, tenant, "registry-robot.deleted", name, Map.of());
        });
  }

  private TenantSeen tenantAdminOf(Jwt caller, String tenant) {
    TenantSeen seen =
        tenants
            .tenantAsSeenBy(tenant, caller.getTokenValue())
            .orElseThrow(() -> Problem.notFound("No tenant " + tenant));
    if (seen.role() != Role.TENANT_ADMIN) {
      throw Problem.forbidden("Managing registry robots needs the tenant-admin role in " + tenant);
    }
    return seen;
  }

  private static String username(Jwt caller) {
    String username = caller.getClaimAsString("preferred_username");
    return username == null ? caller.getSubject() : username;
  }
}
