package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.ServiceApis;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Starting, stopping and restarting an app that is a VM, from its page (forms with the CSRF token,
 * as every change): runtime-bridge answers once QEMU runs or has exited, and refuses a viewer.
 */
@Controller
class VmController {

  private final RuntimeBridge runtime;
  private final ServiceApis apis;

  VmController(ServiceApis apis) {
    this.runtime = apis.runtimeBridge();
    this.apis = apis;
  }

  @PostMapping(AppRef.PATH + "/vm")
  String change(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String action,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    String bearer = apis.bearer();
    return switch (action) {
      case "start" ->
          Flash.after(
              () -> runtime.startVm(tenant, project, app, bearer),
              "VM started: its console shows the boot.",
              redirect,
              ref.page() + "#vm");
      case "stop" ->
          Flash.after(
              () -> runtime.stopVm(tenant, project, app, bearer),
              "VM powered off.",
              redirect,
              ref.page() + "#vm");
      case "restart" ->
          Flash.after(
              () -> runtime.restartVm(tenant, project, app, bearer),
              "VM restarted on the same disk.",
              redirect,
              ref.page() + "#vm");
      default -> {
        redirect.addFlashAttribute("error", "A VM can be started, stopped or restarted.");
        yield "redirect:" + ref.page() + "#vm";
      }
    };
  }
}
