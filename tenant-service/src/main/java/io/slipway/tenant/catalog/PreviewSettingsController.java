package io.slipway.tenant.catalog;

import io.slipway.tenant.access.Actor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's preview bounds (issue 25): the TTL the reaper applies, what a preview over the quota
 * does and whether pull requests from forks get previews. Read by anyone in the tenant, set by a
 * tenant-admin.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/preview-settings")
class PreviewSettingsController {

  private final PreviewSettings settings;

  PreviewSettingsController(PreviewSettings settings) {
    this.settings = settings;
  }

  @GetMapping
  PreviewSettings.View get(Actor actor, @PathVariable String tenant, @PathVariable String project) {
    return settings.get(actor, tenant, project);
  }

  /**
   * Sets all three; one left out goes back to its default (the platform's TTL, {@code refuse}, no
   * forks).
   */
  @PutMapping
  PreviewSettings.View put(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @Valid @RequestBody @NotNull Put body) {
    return settings.put(actor, tenant, project, body);
  }

  record Put(
      @PreviewTtl String previewTtl,
      @Pattern(regexp = "refuse|replace-oldest", message = "must be refuse or replace-oldest")
          String previewPolicy,
      Boolean allowForks) {}
}
