package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.DomainRequest;
import io.slipway.kit.client.RuntimeBridge.EnvRequest;
import io.slipway.kit.validation.Limits;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An app's environment variables, secrets and domains, kept by runtime-bridge (a live app is
 * redeployed with new values). A secret's value goes to runtime-bridge once and is never shown
 * again, not even in the notice that confirms it.
 */
@Controller
class AppSettingsController {

  static final Pattern ENV_NAME = Pattern.compile(Limits.ENV_NAME_PATTERN);
  static final Pattern DOMAIN =
      Pattern.compile("(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

  private final RuntimeBridge runtime;
  private final ServiceApis apis;

  AppSettingsController(ServiceApis apis) {
    this.runtime = apis.runtimeBridge();
    this.apis = apis;
  }

  @PostMapping(AppRef.PATH + "/env")
  String setVariable(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String name,
      @RequestParam(defaultValue = "") String value,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return change(
        ref,
        redirect,
        () -> {
          checked(name, value, Limits.ENV_VALUE_MAX);
          Map<String, String> env = currentEnv(ref);
          env.put(name, value);
          put(ref, env, Map.of());
        },
        name + " set.");
  }

  @PostMapping(AppRef.PATH + "/env/remove")
  String removeVariable(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String name,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return change(
        ref,
        redirect,
        () -> {
          Map<String, String> env = currentEnv(ref);
          env.remove(name);
          put(ref, env, Map.of());
        },
        name + " removed.");
  }

  @PostMapping(AppRef.PATH + "/secrets")
  String setSecret(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String name,
      @RequestParam String value,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return change(
        ref,
        redirect,
        () -> {
          checked(name, value, Limits.SECRET_VALUE_MAX);
          if (value.isEmpty()) {
            throw new ServiceProblem(400, "A secret needs a value; to remove it use Remove.");
          }
          put(ref, currentEnv(ref), Map.of(name, value));
        },
        "Secret " + name + " set. Its value is not shown again.");
  }

  @PostMapping(AppRef.PATH + "/secrets/remove")
  String removeSecret(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String name,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    Map<String, String> removal = new HashMap<>();
    removal.put(name, null);
    return change(
        ref, redirect, () -> put(ref, currentEnv(ref), removal), "Secret " + name + " removed.");
  }

  @PostMapping(AppRef.PATH + "/domains")
  String addDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String domain,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    String wanted = domain.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (!DOMAIN.matcher(wanted).matches()) {
        throw new ServiceProblem(
            400, "'" + domain + "' is not a domain name such as shop.example.com.");
      }
      runtime.addDomain(tenant, project, app, new DomainRequest(wanted), apis.bearer());
      redirect.addFlashAttribute(
          "notice",
          wanted
              + " added. It leads to this app once you prove it is yours: follow the steps"
              + " below, then press Verify.");
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", explainDomain(wanted, problem));
    }
    return "redirect:" + ref.page();
  }

  /** Runs the proof of ownership; the reason it failed is shown as the runtime says it. */
  @PostMapping(AppRef.PATH + "/domains/verify")
  String verifyDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String domain,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    try {
      runtime.verifyDomain(tenant, project, app, domain, apis.bearer());
      redirect.addFlashAttribute("notice", domain + " verified: it now leads to this app.");
    } catch (ServiceProblem problem) {
      redirect.addFlashAttribute("error", explainDomain(domain, problem));
    }
    return "redirect:" + ref.page();
  }

  @PostMapping(AppRef.PATH + "/domains/remove")
  String removeDomain(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String domain,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return change(
        ref,
        redirect,
        () -> runtime.removeDomain(tenant, project, app, domain, apis.bearer()),
        domain + " removed: it no longer leads to this app.");
  }

  static String explainDomain(String domain, ServiceProblem problem) {
    if ("domain-taken".equals(problem.type())) {
      return domain
          + " is already in use by another app on this platform. A domain leads to one app"
          + " only: remove it from the other app first, or choose another name.";
    }
    if ("domain-not-verified".equals(problem.type())) {
      return problem.getMessage()
          + ". Check the DNS record or the URL shown under the domain, then verify again (DNS"
          + " changes can take a while to be seen).";
    }
    return problem.getMessage();
  }

  private Map<String, String> currentEnv(AppRef ref) {
    Map<String, String> env =
        runtime.env(ref.tenant(), ref.project(), ref.app(), apis.bearer()).env();
    return env == null ? new HashMap<>() : new HashMap<>(env);
  }

  private void put(AppRef ref, Map<String, String> env, Map<String, String> secrets) {
    runtime.setEnv(
        ref.tenant(), ref.project(), ref.app(), new EnvRequest(env, secrets), apis.bearer());
  }

  /** The same rules as runtime-bridge's (its EnvRules): names, length, one line. */
  private static void checked(String name, String value, int maxValue) {
    if (!ENV_NAME.matcher(name).matches() || name.length() > Limits.ENV_NAME_MAX) {
      throw new ServiceProblem(
          400,
          "'"
              + name
              + "' cannot be a variable name: use letters, digits and '_', not starting with a"
              + " digit (at most "
              + Limits.ENV_NAME_MAX
              + ").");
    }
    if (value.length() > maxValue) {
      throw new ServiceProblem(400, "A value may be at most " + maxValue + " characters long.");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
      throw new ServiceProblem(400, "A value must be one line: no line breaks.");
    }
  }

  private static String change(
      AppRef ref, RedirectAttributes redirect, Runnable call, String notice) {
    return Flash.after(call, notice, redirect, ref.page());
  }
}
