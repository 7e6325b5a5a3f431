package io.slipway.portal.app;

import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.AutoscaleSetting;
import io.slipway.kit.client.RuntimeBridge.ImageDeploy;
import io.slipway.kit.client.RuntimeBridge.PromoteRequest;
import io.slipway.kit.client.RuntimeBridge.Revision;
import io.slipway.kit.client.RuntimeBridge.RollbackRequest;
import io.slipway.kit.client.RuntimeBridge.ScaleRequest;
import io.slipway.kit.client.RuntimeBridge.ScaleToZeroSetting;
import io.slipway.portal.web.Flash;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What a developer does to a running app: deploy an image, roll back, promote its image to another
 * project, pin a revision, scale, scale to zero when idle, stop, start, restart, rotate its webhook
 * secret.
 */
@Controller
class AppOperationsController {

  private final RuntimeBridge runtime;
  private final BuildService builds;
  private final ServiceApis apis;

  AppOperationsController(ServiceApis apis) {
    this.runtime = apis.runtimeBridge();
    this.builds = apis.buildService();
    this.apis = apis;
  }

  @PostMapping(AppRef.PATH + "/rollback")
  String rollback(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int revision,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return Flash.after(
        () -> runtime.rollback(tenant, project, app, new RollbackRequest(revision), apis.bearer()),
        "Rolled back to revision " + revision + ".",
        redirect,
        ref.page());
  }

  @PostMapping(AppRef.PATH + "/promote")
  String promote(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam("toProject") String toProject,
      @RequestParam("toApp") String toApp,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    String target = toProject.strip() + "/" + toApp.strip();
    return Flash.after(
        () ->
            runtime.promote(
                tenant,
                project,
                app,
                new PromoteRequest(toProject.strip(), toApp.strip()),
                apis.bearer()),
        "Promoted the live image to " + target + ": it runs there by the same digest.",
        redirect,
        ref.page());
  }

  @PostMapping(AppRef.PATH + "/revisions/{revision}/{change:pin|unpin}")
  String pin(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int revision,
      @PathVariable String change,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    boolean pin = change.equals("pin");
    return Flash.after(
        () -> {
          if (pin) {
            runtime.pin(tenant, project, app, revision, apis.bearer());
          } else {
            runtime.unpin(tenant, project, app, revision, apis.bearer());
          }
        },
        pin
            ? "Pinned revision " + revision + ": its image is kept whatever its age."
            : "Unpinned revision " + revision + ": retention may remove its image once it is old.",
        redirect,
        ref.page());
  }

  @PostMapping(AppRef.PATH + "/scale")
  String scale(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int replicas,
      @RequestParam(required = false) String type,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    // without a type, web (the runtime checks the name of a type)
    ScaleRequest request = new ScaleRequest(replicas, type);
    return Flash.after(
        () -> runtime.scale(tenant, project, app, request, apis.bearer()),
        type == null
            ? "Scaled to " + Parts.count(replicas, "replica", "replicas") + "."
            : "Scaled " + type + " to " + Parts.count(replicas, "instance", "instances") + ".",
        redirect,
        ref.page());
  }

  /**
   * Opts the app in to scale to zero after {@code idleAfter} without requests ({@code enabled}
   * ticked), or out; the runtime checks the period.
   */
  @PostMapping(AppRef.PATH + "/scale-to-zero")
  String scaleToZero(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "false") boolean enabled,
      @RequestParam(defaultValue = "") String idleAfter,
      @RequestParam(defaultValue = "") String pausedFor,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    String period = idleAfter.isBlank() ? null : idleAfter.strip();
    String paused = pausedFor.isBlank() ? null : pausedFor.strip();
    ScaleToZeroSetting setting =
        new ScaleToZeroSetting(enabled, enabled ? period : null, enabled ? paused : null);
    String pause =
        paused == null || paused.matches("0+[smh]")
            ? ""
            : " paused for " + paused + " first, then stopped;";
    return Flash.after(
        () -> runtime.setScaleToZero(tenant, project, app, setting, apis.bearer()),
        enabled
            ? "Scales to zero after "
                + (period == null ? "5m" : period)
                + " without requests;"
                + pause
                + " the next request wakes it."
            : "No longer scales to zero: it runs whether or not requests come.",
        redirect,
        ref.page());
  }

  /**
   * Opts the app in to autoscaling between {@code min} and {@code max} web replicas for {@code
   * targetConcurrency} requests in flight each ({@code enabled} ticked), or out; the runtime checks
   * the bounds and says which is wrong.
   */
  @PostMapping(AppRef.PATH + "/autoscaling")
  String autoscaling(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "false") boolean enabled,
      @RequestParam(required = false) Integer min,
      @RequestParam(required = false) Integer max,
      @RequestParam(required = false) Integer targetConcurrency,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    AutoscaleSetting setting =
        enabled
            ? new AutoscaleSetting(true, min, max, targetConcurrency)
            : new AutoscaleSetting(false, null, null, null);
    return Flash.after(
        () -> runtime.setAutoscaling(tenant, project, app, setting, apis.bearer()),
        enabled
            ? "Autoscales with the requests in flight: its replicas follow them within its bounds"
                + " and the project's quota."
            : "No longer autoscales: its replicas stay as scaled.",
        redirect,
        ref.page());
  }

  @PostMapping(AppRef.PATH + "/{operation:stop|start|restart}")
  String lifecycle(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String operation,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    String done =
        switch (operation) {
          case "stop" -> "Stopped. Its URL answers again once you start it.";
          case "start" -> "Started.";
          default -> "Restarted: every instance was replaced.";
        };
    return Flash.after(
        () -> {
          String bearer = apis.bearer();
          switch (operation) {
            case "stop" -> runtime.stop(tenant, project, app, bearer);
            case "start" -> runtime.start(tenant, project, app, bearer);
            default -> runtime.restart(tenant, project, app, bearer);
          }
        },
        done,
        redirect,
        ref.page());
  }

  /** Deploys an image again, or a new one (apps created from an existing image). */
  @PostMapping(AppRef.PATH + "/deploy")
  String deployImage(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String image,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return Flash.after(
        () -> {
          Revision revision =
              runtime.deploy(
                  tenant, project, app, new ImageDeploy(image.strip(), null), apis.bearer());
          if (revision != null && "failed".equals(revision.status())) {
            throw new ServiceProblem(
                422,
                "The deploy failed: "
                    + (revision.reason() == null ? "no reason given" : revision.reason()));
          }
        },
        image.strip() + " deployed.",
        redirect,
        ref.page());
  }

  @PostMapping(AppRef.PATH + "/webhook/rotate")
  String rotateWebhookSecret(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return Flash.after(
        () -> builds.rotateWebhookSecret(tenant, project, app, apis.bearer()),
        "Webhook secret rotated: update it at your git host; the old one no longer works.",
        redirect,
        ref.page());
  }

  @PostMapping(AppRef.PATH + "/commit-status")
  String setCommitStatus(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam String forge,
      @RequestParam String apiUrl,
      @RequestParam String token,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return Flash.after(
        () ->
            builds.setCommitStatus(
                tenant,
                project,
                app,
                new BuildService.CommitStatusSetting(forge, apiUrl.strip(), token.strip()),
                apis.bearer()),
        "Commit status on: each webhook build is posted to "
            + forge
            + " as pending, then success"
            + " or failure.",
        redirect,
        ref.page());
  }

  @PostMapping(AppRef.PATH + "/commit-status/delete")
  String deleteCommitStatus(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      RedirectAttributes redirect) {
    AppRef ref = new AppRef(tenant, project, app);
    return Flash.after(
        () -> builds.deleteCommitStatus(tenant, project, app, apis.bearer()),
        "Commit status off: nothing more is posted to the forge.",
        redirect,
        ref.page());
  }
}
