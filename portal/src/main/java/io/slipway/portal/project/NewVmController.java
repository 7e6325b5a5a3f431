package io.slipway.portal.project;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.NewVm;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.NewApp;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Creating a virtual machine from the project page (issue 23, docs/vms.md): the app is made in
 * tenant-service's catalog as a {@code vm} app, then runtime-bridge makes its VM and boots it. A VM
 * refused (its quota, a bad size) takes its app with it, so the user can try again under the same
 * name, and the form comes back as typed. The bounds are runtime-bridge's; the form only parses.
 */
@Controller
class NewVmController {

  private static final String PROJECT = "/t/{tenant:[a-z0-9-]{1,20}}/p/{project:[a-z0-9-]{1,20}}";
  private static final String PORTS_HELP =
      "Ports are TCP port numbers separated by commas, such as 22, 8080.";

  private final TenantService tenants;
  private final RuntimeBridge runtime;
  private final ServiceApis apis;

  NewVmController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.runtime = apis.runtimeBridge();
    this.apis = apis;
  }

  /** What the user typed, given back to the form when something is refused. */
  record Typed(
      String name,
      Integer vcpus,
      Integer memoryMib,
      String ports,
      Integer httpPort,
      Integer dataDiskMib,
      String userData) {}

  @PostMapping(PROJECT + "/vms")
  String create(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam String name,
      @RequestParam(required = false) Integer vcpus,
      @RequestParam(required = false) Integer memoryMib,
      @RequestParam(defaultValue = "") String ports,
      @RequestParam(required = false) Integer httpPort,
      @RequestParam(required = false) Integer dataDiskMib,
      @RequestParam(defaultValue = "") String userData,
      RedirectAttributes redirect) {
    String projectPage = "/t/" + tenant + "/p/" + project;
    Typed typed = new Typed(name, vcpus, memoryMib, ports, httpPort, dataDiskMib, userData);
    List<Integer> exposed = ports(ports);
    if (exposed == null) {
      return refused(typed, PORTS_HELP, redirect, projectPage);
    }
    if (vcpus == null || memoryMib == null) {
      return refused(typed, "Give the VM's vCPUs and memory.", redirect, projectPage);
    }
    if (httpPort != null && !exposed.contains(httpPort)) {
      exposed.add(httpPort); // the port the hosts route to is exposed, whether listed or not
    }
    String bearer = apis.bearer();
    try {
      tenants.createApp(tenant, project, new NewApp(name, "vm", null), bearer);
    } catch (ServiceProblem problem) {
      return refused(typed, problem, redirect, projectPage);
    }
    try {
      runtime.createVm(
          tenant,
          project,
          name,
          new NewVm(
              vcpus,
              memoryMib,
              null,
              userData.isBlank() ? null : userData,
              exposed,
              httpPort,
              dataDiskMib),
          bearer);
    } catch (ServiceProblem problem) {
      return vmRefused(tenant, project, typed, problem, bearer, redirect, projectPage);
    }
    redirect.addFlashAttribute(
        "notice", "VM " + name + " created and booting: its console shows the boot.");
    return "redirect:" + projectPage + "/a/" + name + "#vm";
  }

  /**
   * The VM was refused: its app goes again (it would be an app with nothing in it), and the user
   * reads why. Should the app's removal fail too, the message says the app is still there.
   */
  private String vmRefused(
      String tenant,
      String project,
      Typed typed,
      ServiceProblem problem,
      String bearer,
      RedirectAttributes redirect,
      String projectPage) {
    String left = "";
    try {
      tenants.deleteApp(tenant, project, typed.name(), bearer);
    } catch (ServiceProblem notDeleted) {
      left = " The app " + typed.name() + " was made and is still there: delete it from its page.";
    }
    problem.flash(redirect);
    redirect.addFlashAttribute(
        "error",
        "VM "
            + typed.name()
            + " was not made: "
            + redirect.getFlashAttributes().get("error")
            + left);
    redirect.addFlashAttribute("vmTyped", typed);
    return "redirect:" + projectPage + "#new-vm";
  }

  private static String refused(
      Typed typed, ServiceProblem problem, RedirectAttributes redirect, String page) {
    problem.flash(redirect);
    redirect.addFlashAttribute("vmTyped", typed);
    return "redirect:" + page + "#new-vm";
  }

  private static String refused(
      Typed typed, String error, RedirectAttributes redirect, String page) {
    redirect.addFlashAttribute("error", error);
    redirect.addFlashAttribute("vmTyped", typed);
    return "redirect:" + page + "#new-vm";
  }

  /** The ports as typed ({@code 22, 8080} or {@code 22 8080}), or null when one is no number. */
  static List<Integer> ports(String typed) {
    List<Integer> ports = new ArrayList<>();
    for (String part : typed.strip().split("[,\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      if (!part.matches("[0-9]{1,5}")) {
        return null;
      }
      ports.add(Integer.parseInt(part));
    }
    return ports;
  }
}
