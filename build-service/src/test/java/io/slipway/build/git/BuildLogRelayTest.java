package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.queue.Build;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a build prints reaches the pusher's terminal without its control characters, and the push
 * ends with what came of it: the live URL, or why the build or its deploy failed.
 */
class BuildLogRelayTest {

  private static final String PAGE = "https://portal.example.test/t/acme/p/web/a/site";

  @Test
  void controlCharactersOfALogLineAreNeutralised() {
    assertThat(BuildLogRelay.printable("\u001b[31mred\u001b[0m\tdone\r"))
        .isEqualTo("?[31mred?[0m\tdone");
    assertThat(BuildLogRelay.printable("plain line: ünïcode")).isEqualTo("plain line: ünïcode");
  }

  @Test
  void aPushIsFollowedByDefaultUnlessItSaysOtherwiseOrTheLimitIsZero() {
    BuildLogRelay byDefault = new BuildLogRelay(null, java.time.Duration.ofMinutes(10), true);
    assertThat(byDefault.wanted(null)).isTrue();
    assertThat(byDefault.wanted(List.of())).isTrue();
    assertThat(byDefault.wanted(List.of("no-follow"))).isFalse();
    BuildLogRelay onRequest = new BuildLogRelay(null, java.time.Duration.ofMinutes(10), false);
    assertThat(onRequest.wanted(List.of())).isFalse();
    assertThat(onRequest.wanted(List.of("follow"))).isTrue();
    BuildLogRelay never = new BuildLogRelay(null, java.time.Duration.ZERO, true);
    assertThat(never.wanted(List.of("follow"))).isFalse();
  }

  @Test
  void aLiveDeployEndsThePushWithTheAppsUrl() {
    assertThat(
            BuildLogRelay.ending(
                build("succeeded", null, deploy("live", 4, "http://site--web--acme.example", null)),
                PAGE))
        .isEqualTo("build #7 is live as revision 4: http://site--web--acme.example");
  }

  @Test
  void aFailedDeployIsAFailedPushNamingTheCauseWithoutRepeatingTheLogLines() {
    String reason = "revision 4 exited with code 3; last log lines:\nboom\nDATABASE_URL is not set";

    assertThat(
            BuildLogRelay.ending(build("succeeded", null, deploy("failed", 4, null, reason)), PAGE))
        .isEqualTo(
            "build #7 succeeded, but its deploy failed: revision 4 exited with code 3 (its last"
                + " log lines are above); a previous revision, if any, keeps serving. The app's"
                + " events and logs: "
                + PAGE);
    assertThat(
            BuildLogRelay.ending(
                build(
                    "succeeded",
                    null,
                    deploy("refused", null, null, "image refused: 1 critical vulnerability")),
                PAGE))
        .isEqualTo(
            "build #7 succeeded, but its deploy was refused: image refused: 1 critical"
                + " vulnerability");
  }

  @Test
  void otherEndingsSayWhatHappened() {
    assertThat(BuildLogRelay.ending(build("failed", "out of memory", null), PAGE))
        .isEqualTo("build #7 failed: out of memory");
    assertThat(BuildLogRelay.ending(build("cancelled", null, null), PAGE))
        .isEqualTo("build #7 was cancelled");
    assertThat(
            BuildLogRelay.ending(
                build("succeeded", null, deploy("superseded", null, null, null)), PAGE))
        .isEqualTo("build #7 succeeded; a newer build is deployed instead: " + PAGE);
    assertThat(
            BuildLogRelay.ending(
                build("succeeded", null, deploy("skipped", null, null, "no runtime is configured")),
                PAGE))
        .isEqualTo("build #7 succeeded; it is not deployed: no runtime is configured");
  }

  private static Build.Deploy deploy(String status, Integer revision, String url, String reason) {
    return new Build.Deploy(status, revision, url, reason, Instant.now());
  }

  private static Build build(String status, String reason, Build.Deploy deploy) {
    Instant now = Instant.now();
    return new Build(
        UUID.randomUUID(),
        "acme",
        "web",
        "site",
        "t1",
        "p1",
        "a1",
        null,
        7,
        "abc",
        "refs/heads/main",
        "alice",
        status,
        reason,
        null,
        null,
        null,
        now,
        now,
        now,
        now,
        List.of(),
        deploy,
        false);
  }
}
