package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.TenantApi;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * The app a request addresses by name, with its ids, once tenant-service has said the caller may
 * see it (and, for a change, holds the developer role); anything the bridge still holds of an
 * earlier app of those names is removed first.
 */
@Component
class AppAccess {

  private final TenantApi tenants;
  private final AppLifecycle lifecycle;

  AppAccess(TenantApi tenants, AppLifecycle lifecycle) {
    this.tenants = tenants;
    this.lifecycle = lifecycle;
  }

  AppRef require(String tenant, String project, String app, Jwt caller, boolean change) {
    AppRef ref = tenants.requireAccess(tenant, project, app, caller.getTokenValue(), change);
    lifecycle.forgetEarlier(ref);
    return ref;
  }
}
