package io.slipway.portal.app;

import io.slipway.portal.web.Flash;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApi;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * What a developer does to a running app: deploy an image, roll back, scale, stop, start, restart,
 * rotate its webhook secret.
 */
@Controller
class AppOperationsController {

  private final ServiceApi runtime;
  private final ServiceApi builds;

  AppOperationsController(ServiceApis apis) {
    this.runtime = apis.runtime();
    this.builds = apis.build();
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
        () -> runtime.post(Map.of("revision", revision), AppRef.API + "/rollback", ref.vars()),
        "Rolled back to revision " + revision + ".",
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
    Map<String, Object> body =
        type == null ? Map.of("replicas", replicas) : Map.of("replicas", replicas, "type", type);
    return Flash.after(
        () -> runtime.post(body, AppRef.API + "/scale", ref.vars()),
        type == null
            ? "Scaled to " + Parts.count(replicas, "replica", "replicas") + "."
            : "Scaled " + type + " to " + Parts.count(replicas, "instance", "instances") + ".",
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
        () -> runtime.post(Map.of(), AppRef.API + "/" + operation, ref.vars()),
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
          JsonNode revision =
              runtime.post(Map.of("image", image.strip()), AppRef.API + "/deployments", ref.vars());
          if (revision != null && "failed".equals(revision.path("status").asString())) {
            throw new ServiceProblem(
                422, "The deploy failed: " + revision.path("reason").asString("no reason given"));
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
        () -> builds.post(Map.of(), AppRef.API + "/webhook", ref.vars()),
        "Webhook secret rotated: update it at your git host; the old one no longer works.",
        redirect,
        ref.page());
  }
}
