package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.RunRequest;
import io.slipway.kit.client.RuntimeBridge.RunView;
import io.slipway.kit.validation.Limits;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Run a command: the app page's form starts a developer's one-off run of the live revision and
 * redirects at once to the run's page, which follows its output live ({@link AppRunsController}).
 * The command is checked as runtime-bridge checks it; runtime-bridge decides who may run it (a
 * viewer, who sees no form, is refused with 403) and whether it fits the quota. A refusal goes back
 * to the app page in plain words, with the command kept in the form.
 */
@Controller
class RunCommandController {

  private final ServiceApis apis;
  private final RuntimeBridge runtime;

  RunCommandController(ServiceApis apis) {
    this.apis = apis;
    this.runtime = apis.runtimeBridge();
  }

  @PostMapping(AppRef.PATH + "/runs")
  String run(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "") String command,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    String invalid = invalid(command);
    if (invalid == null) {
      try {
        RunView run =
            runtime.startRun(tenant, project, app, new RunRequest(command), apis.bearer());
        return "redirect:" + ref.page() + "/runs/" + run.id();
      } catch (ServiceProblem problem) {
        invalid = refused(problem);
      }
    }
    redirect.addFlashAttribute("runError", invalid);
    redirect.addFlashAttribute("runCommand", command);
    return "redirect:" + ref.page() + "#runs";
  }

  /** Why runtime-bridge would refuse {@code command} as a one-off run, or null if it would not. */
  static String invalid(String command) {
    if (command.isBlank()) {
      return "Type a command to run.";
    }
    if (command.length() > Limits.RUN_COMMAND_MAX) {
      return "The command is "
          + command.length()
          + " characters long: at most "
          + Limits.RUN_COMMAND_MAX
          + " fit.";
    }
    if (command.indexOf('\0') >= 0) {
      return "The command may not contain a NUL character.";
    }
    return null;
  }

  private static String refused(ServiceProblem problem) {
    String why =
        switch (problem.type()) {
          case "not-deployed" -> "the app has no live revision yet: deploy it first.";
          case "app-stopped" -> "the app is stopped: start it first.";
          case "quota-exceeded" ->
              "one more instance of the app does not fit the quota while the command runs ("
                  + problem.getMessage()
                  + ").";
          default ->
              problem.status() == 403
                  ? "running a command needs the developer role in this tenant."
                  : problem.getMessage();
        };
    return "The command was not run: " + why;
  }
}
