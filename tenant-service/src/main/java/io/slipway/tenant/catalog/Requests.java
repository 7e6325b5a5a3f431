package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import io.slipway.kit.validation.Limits;
import io.slipway.tenant.web.DnsLabel;
import jakarta.validation.constraints.AssertTrue;
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
   * What build-service tells of a push to {@code preview/<name>} or of a pull request's webhook
   * delivery, with exactly one of who acts: {@code pushedBy}, the pusher (the preview is made as
   * that user, whose role is checked now), or {@code webhook}, the delivery ({@code github webhook
   * (octocat)}: build-service's own grant, authorised by the app's webhook secret, which only
   * pull-request previews {@code pr-<pullRequest>} of external-git apps take). {@code fork}: the
   * pull request's head is another repository's.
   */
  record PushedPreview(
      @Username String pushedBy,
      @Size(max = WEBHOOK_MAX) @Pattern(regexp = WEBHOOK, message = WEBHOOK_MESSAGE) String webhook,
      @Positive Integer pullRequest,
      Boolean fork,
      @NotNull
          @Size(min = 1, max = BRANCH_MAX)
          @Pattern(regexp = ONE_LINE, message = ONE_LINE_MESSAGE)
          String branch,
      @NotNull @Pattern(regexp = "[0-9a-f]{40}", message = COMMIT_MESSAGE) String commit) {

    @AssertTrue(message = "exactly one of pushedBy and webhook must be given")
    boolean isOneActor() {
      return (pushedBy == null) != (webhook == null);
    }

    @AssertTrue(message = "pullRequest and fork come with webhook alone")
    boolean isPullRequestFromWebhook() {
      return webhook != null || (pullRequest == null && fork == null);
    }
  }

  /** A webhook delivery as an actor: the forge and, when it named one, the sender. */
  static final String WEBHOOK = "(github|gitlab|gitea) webhook( \\([^\\p{Cntrl}()]{1,100}\\))?";

  static final String WEBHOOK_MESSAGE =
      "must be '<github|gitlab|gitea> webhook', optionally followed by ' (<sender>)'";
  static final int WEBHOOK_MAX = 120;

  static final int BRANCH_MAX = 255;
  static final String COMMIT_MESSAGE = "must be a full commit id: 40 lower-case hexadecimal digits";
}
