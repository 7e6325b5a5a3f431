package io.slipway.build.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.hook.PullRequestEvent.Change;
import io.slipway.kit.problem.Problem;
import io.slipway.testing.PullRequestFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading GitHub's, Gitea's and GitLab's pull and merge request payloads (the fixtures). */
class PullRequestEventTest {

  private static final String HEAD = "0123456789abcdef0123456789abcdef01234567";

  @ParameterizedTest
  @CsvSource({
    "opened, BUILD",
    "reopened, BUILD",
    "synchronize, BUILD",
    "closed, DELETE",
    "edited, NONE",
    "labeled, NONE"
  })
  void githubActions(String action, Change change) {
    PullRequestEvent event =
        parse(WebhookProvider.GITHUB, PullRequestFixtures.github(action, 12, HEAD, false));

    assertThat(event.change()).isEqualTo(change);
    assertThat(event.number()).isEqualTo(12);
    assertThat(event.preview()).isEqualTo("pr-12");
    assertThat(event.fork()).isFalse();
    assertThat(event.sender()).isEqualTo("octocat");
    assertThat(event.branch()).isEqualTo("feature/basket-total");
    assertThat(event.head()).isEqualTo(change == Change.BUILD ? HEAD : null);
    assertThat(event.reason())
        .isEqualTo(
            change == Change.NONE
                ? "the pull_request action " + action + " changes no code: nothing to build"
                : null);
  }

  @ParameterizedTest
  @CsvSource({"opened, BUILD", "reopened, BUILD", "synchronized, BUILD", "closed, DELETE"})
  void giteaActions(String action, Change change) {
    PullRequestEvent event =
        parse(WebhookProvider.GITEA, PullRequestFixtures.gitea(action, 3, HEAD, false));

    assertThat(event.change()).isEqualTo(change);
    assertThat(event.number()).isEqualTo(3);
    assertThat(event.fork()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "open, false, BUILD",
    "reopen, false, BUILD",
    "update, true, BUILD",
    "update, false, NONE",
    "close, false, DELETE",
    "merge, false, DELETE",
    "approved, false, NONE"
  })
  void gitlabActions(String action, boolean newCommits, Change change) {
    PullRequestEvent event =
        parse(
            WebhookProvider.GITLAB,
            PullRequestFixtures.gitlab(
                action, 41, HEAD, false, newCommits ? "f".repeat(40) : null));

    assertThat(event.change()).isEqualTo(change);
    assertThat(event.number()).isEqualTo(41);
    assertThat(event.sender()).isEqualTo("octocat");
    assertThat(event.fork()).isFalse();
  }

  @Test
  void aHeadInAnotherRepositoryIsAForkOnEveryForge() {
    assertThat(
            parse(WebhookProvider.GITHUB, PullRequestFixtures.github("opened", 1, HEAD, true))
                .fork())
        .isTrue();
    assertThat(
            parse(WebhookProvider.GITEA, PullRequestFixtures.gitea("opened", 1, HEAD, true)).fork())
        .isTrue();
    assertThat(
            parse(WebhookProvider.GITLAB, PullRequestFixtures.gitlab("open", 1, HEAD, true, null))
                .fork())
        .isTrue();
    // a deleted fork leaves no head repository: treated as a fork, never as the app's own
    String orphan =
        PullRequestFixtures.github("opened", 1, HEAD, false)
            .replaceFirst("\"repo\": \\{[^}]*\\}", "\"repo\": null");
    assertThat(parse(WebhookProvider.GITHUB, orphan).fork()).isTrue();
  }

  @Test
  void aRepositoryThatIsItselfAForkIsNotTakenForOneOfItsOwnPullRequests() {
    // head and base both acme/shop, which GitHub reports as "fork": true when acme/shop is a fork
    String own =
        PullRequestFixtures.github("opened", 5, HEAD, false)
            .replace("\"fork\": false", "\"fork\": true");

    assertThat(parse(WebhookProvider.GITHUB, own).fork()).isFalse();
  }

  @Test
  void theForgesRefsForAPullRequestsHead() {
    assertThat(WebhookProvider.GITHUB.pullRequestRef(7)).isEqualTo("refs/pull/7/head");
    assertThat(WebhookProvider.GITEA.pullRequestRef(7)).isEqualTo("refs/pull/7/head");
    assertThat(WebhookProvider.GITLAB.pullRequestRef(7)).isEqualTo("refs/merge-requests/7/head");
  }

  @Test
  void badNumbersAndCommitsAreRefusedAtTheEdge() {
    for (String number : new String[] {"0", "-3", "1000000000", "\"7\"", "1.5"}) {
      String body =
          PullRequestFixtures.github("opened", 7, HEAD, false)
              .replace("\"number\": 7", "\"number\": " + number);
      assertThatThrownBy(() -> parse(WebhookProvider.GITHUB, body))
          .as(number)
          .isInstanceOf(Problem.class)
          .hasMessageContaining("number");
    }
    for (String head : new String[] {"abc", HEAD.toUpperCase(), "../../etc/passwd"}) {
      assertThatThrownBy(
              () ->
                  parse(
                      WebhookProvider.GITHUB, PullRequestFixtures.github("opened", 7, head, false)))
          .as(head)
          .isInstanceOf(Problem.class)
          .hasMessageContaining("head commit");
    }
    assertThatThrownBy(() -> parse(WebhookProvider.GITLAB, "[1]"))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("JSON object");
    // a closed pull request needs no head commit
    assertThat(
            parse(WebhookProvider.GITHUB, PullRequestFixtures.github("closed", 7, "", false))
                .change())
        .isEqualTo(Change.DELETE);
  }

  @Test
  void aSenderThatCannotBeShownInOneLineIsLeftOut() {
    String body =
        PullRequestFixtures.github("opened", 7, HEAD, false)
            .replace("\"sender\": { \"login\": \"octocat\"", "\"sender\": { \"login\": \"x) (y\"");

    assertThat(parse(WebhookProvider.GITHUB, body).sender()).isNull();
  }

  private static PullRequestEvent parse(WebhookProvider provider, String body) {
    return PullRequestEvent.parse(provider, body.getBytes(StandardCharsets.UTF_8));
  }
}
