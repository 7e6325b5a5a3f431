package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The WebSocket of a VM's serial console (docs/vms.md, Console). The upgrade is an API call like
 * any other: the bearer token (a Keycloak JWT or a personal access token with scope {@code api}) is
 * checked by the security chain, then the app is looked up with the caller's roles here, in a
 * controller, so that an app the caller cannot see, or one that is no VM, is refused with the very
 * 404 problem the HTTP API answers, before any WebSocket exists. A viewer is let in to watch; a
 * developer or more may type. Not in the OpenAPI document: it describes HTTP calls, and this one is
 * a protocol switch.
 */
@Hidden
@RestController
class VmConsoleController {

  private final AppAccess access;
  private final VmLifecycle lifecycle;
  private final VmConsoleSocket socket;
  private final DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();

  VmConsoleController(AppAccess access, VmLifecycle lifecycle, VmConsoleSocket socket) {
    this.access = access;
    this.lifecycle = lifecycle;
    this.socket = socket;
  }

  @GetMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/vm/console")
  void console(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller,
      HttpServletRequest request,
      HttpServletResponse response)
      throws Exception {
    AppRef ref;
    boolean mayType;
    try {
      ref = access.require(tenant, project, app, caller, true);
      mayType = true;
    } catch (Problem refused) {
      if (refused.status().value() != HttpStatus.FORBIDDEN.value()) {
        throw refused;
      }
      // visible, but a viewer's: it may watch
      ref = access.require(tenant, project, app, caller, false);
      mayType = false;
    }
    lifecycle.require(ref);
    lifecycle.runtime();
    Map<String, Object> attributes = new HashMap<>();
    attributes.put(VmConsoleSocket.APP, ref);
    attributes.put(VmConsoleSocket.MAY_TYPE, mayType);
    attributes.put(VmConsoleSocket.CALLER, caller);
    ServletServerHttpResponse upgrade = new ServletServerHttpResponse(response);
    try {
      handshake.doHandshake(new ServletServerHttpRequest(request), upgrade, socket, attributes);
    } finally {
      upgrade.flush();
    }
  }
}
