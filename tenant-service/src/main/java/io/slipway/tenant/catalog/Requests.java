package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import io.slipway.kit.validation.Limits;
import io.slipway.tenant.web.DnsLabel;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Request bodies of the catalog API, validated at the edge. */
final class Requests {

  /**
   * Tenant names are at most 20 characters; projects 20; apps 21. An app's host label, {@code
   * <app>--<project>--<tenant>}, must also fit 63 characters: checked when the app is created.
   */
  static final int TENANT_MAX = 20;

  static final int PROJECT_MAX = 20;
  static final int APP_MAX = 21;

  /** Display names are one line: no line breaks, tabs or other control characters. */
  static final String ONE_LINE = "[^\\p{Cntrl}]*";

  static final String ONE_LINE_MESSAGE = "must be one line without control characters";

  private Requests() {}

  record CreateTenant(
      @NotNull @DnsLabel(max = TENANT_MAX) String name,
      @Size(max = Limits.DISPLAY_NAME_MAX) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE)
          String displayName) {}

  record UpdateTenant(
      @NotBlank
          @Size(max = Limits.DISPLAY_NAME_MAX)
          @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE)
          String displayName) {}

  record CreateProject(
      @NotNull @DnsLabel(max = PROJECT_MAX) String name,
      @Size(max = Limits.DISPLAY_NAME_MAX) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE)
          String displayName) {}

  record CreateApp(
      @NotNull @DnsLabel(max = APP_MAX) String name,
      AppSource source,
      @Size(max = 500)
          @Pattern(
              regexp = "[^\\s\\p{Cntrl}]*",
              message = "must be a URL without white space or control characters")
          String sourceRef) {}

  record PutMember(@NotNull Role role) {}

  /**
   * What a push tells about a preview (issue 25), every field optional: on an existing preview each
   * given field replaces the stored one (the last push wins) and an omitted one is kept.
   */
  record PutPreview(
      @Positive Integer pullRequest,
      @Size(min = 1, max = BRANCH_MAX) @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE)
          String branch,
      @Pattern(regexp = "[0-9a-f]{40}", message = COMMIT_MESSAGE) String commit) {

    static final PutPreview NONE = new PutPreview(null, null, null);
  }

  /**
   * What build-service tells of a push to {@code preview/<name>}: who pushed (the preview is made
   * as that user), the branch and the pushed commit.
   */
  record PushedPreview(
      @NotNull @Username String pushedBy,
      @NotNull
          @Size(min = 1, max = BRANCH_MAX)
          @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE)
          String branch,
      @NotNull @Pattern(regexp = "[0-9a-f]{40}", message = COMMIT_MESSAGE) String commit) {}

  static final int BRANCH_MAX = 255;
  static final String COMMIT_MESSAGE = "must be a full commit id: 40 lower-case hexadecimal digits";
}
