package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.FunctionSetting;
import io.slipway.kit.validation.Limits;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The app page's Function form: a developer changes how long one invocation may run. The portal
 * checks only that a whole number was typed; the bounds are runtime-bridge's, whose refusal (400
 * {@code invalid-function-setting}, a viewer's 403) comes back beside the field in plain words,
 * with what was typed kept.
 */
@Controller
class FunctionSettingsController {

  /** A whole number that fits an int, so a typo is never sent as something else. */
  private static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,9}");

  private final ServiceApis apis;
  private final RuntimeBridge runtime;

  FunctionSettingsController(ServiceApis apis) {
    this.apis = apis;
    this.runtime = apis.runtimeBridge();
  }

  @PostMapping(AppRef.PATH + "/function")
  String timeout(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "") String timeoutSeconds,
      RedirectAttributes redirect) {
    String page = new AppRef(tenant, project, app).page() + "#function";
    String typed = timeoutSeconds.strip();
    String invalid = invalid(typed);
    if (invalid == null) {
      try {
        int seconds = Integer.parseInt(typed);
        runtime.setFunction(tenant, project, app, new FunctionSetting(seconds), apis.bearer());
        redirect.addFlashAttribute(
            "notice", "Each invocation may now run for " + seconds + " s; a longer one times out.");
        return "redirect:" + page;
      } catch (ServiceProblem problem) {
        invalid = refused(problem, typed);
      }
    }
    redirect.addFlashAttribute("functionError", invalid);
    redirect.addFlashAttribute("functionTimeout", typed);
    return "redirect:" + page;
  }

  /** Why {@code typed} cannot be sent as a number of seconds, or null when it can. */
  static String invalid(String typed) {
    if (typed.isEmpty()) {
      return "Type the time limit in seconds.";
    }
    if (!WHOLE.matcher(typed).matches()) {
      return "The time limit is a whole number of seconds, such as 30.";
    }
    return null;
  }

  private static String refused(ServiceProblem problem, String typed) {
    String why =
        switch (problem.type()) {
          case "invalid-function-setting" ->
              "it must be from 1 to "
                  + Limits.FUNCTION_TIMEOUT_MAX
                  + " seconds, not "
                  + typed
                  + ".";
          default ->
              problem.status() == 403
                  ? "changing it needs the developer role in this tenant."
                  : problem.getMessage();
        };
    return "The time limit was not changed: " + why;
  }
}
