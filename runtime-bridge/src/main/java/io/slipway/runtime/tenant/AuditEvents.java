package io.slipway.runtime.tenant;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.TenantApi.AuditEntry;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Every change runtime-bridge makes for a caller goes to the tenant's audit trail at
 * tenant-service: who (the token's user, or the service), what (an action and names, never a
 * secret's value), on which app, from which address.
 */
@Component
public class AuditEvents {

  private final TenantApi tenants;

  public AuditEvents(TenantApi tenants) {
    this.tenants = tenants;
  }

  /** Records {@code action} on the app {@code ref} with {@code details}. */
  public void app(Jwt caller, AppRef ref, String action, Map<String, Object> details) {
    record(
        caller,
        ref.tenant(),
        action,
        ref.tenant() + "/" + ref.project() + "/" + ref.app(),
        details);
  }

  /** Records {@code action} on {@code target} in {@code tenant} (null: platform-wide). */
  public void record(
      Jwt caller, String tenant, String action, String target, Map<String, Object> details) {
    tenants.audit(
        new AuditEntry(
            UUID.randomUUID().toString(),
            actor(caller),
            tenant,
            action,
            target,
            sourceIp(),
            details));
  }

  /** The user's name; a service is named by its client. */
  public static String actor(Jwt caller) {
    String name = caller.getClaimAsString("preferred_username");
    if (name == null || name.startsWith("service-account-")) {
      String client = caller.getClaimAsString("azp");
      return client != null ? client : caller.getSubject();
    }
    return name;
  }

  private static String sourceIp() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        ? request.getRequest().getRemoteAddr()
        : null;
  }
}
