package io.slipway.portal.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A build's badge tells how the push went, the deploy included. */
class BuildOutcomeTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static BuildOutcome of(String json) {
    return BuildOutcome.of(JSON.readTree(json.replace('\'', '"')));
  }

  @Test
  void aFailedOrRefusedDeployMakesAFailedPushWithTheReasonsFirstLine() {
    assertThat(
            of(
                "{'status':'succeeded','deploy':{'status':'failed',"
                    + "'reason':'revision 2 exited with code 1; last log lines:\\nboom'}}"))
        .isEqualTo(new BuildOutcome("deploy failed", "failed", "revision 2 exited with code 1"));
    assertThat(of("{'status':'succeeded','deploy':{'status':'refused','reason':'quota'}}"))
        .isEqualTo(new BuildOutcome("deploy refused", "failed", "quota"));
  }

  @Test
  void aBuildOnItsOwnOrWithAGoodDeployShowsTheBuildsStatus() {
    assertThat(of("{'status':'failed','reason':'out of memory\\nmore'}"))
        .isEqualTo(new BuildOutcome("failed", "failed", "out of memory"));
    assertThat(of("{'status':'succeeded','deploy':{'status':'pending'}}"))
        .isEqualTo(new BuildOutcome("deploying", "running", ""));
    assertThat(of("{'status':'succeeded','deploy':{'status':'live','revision':3}}"))
        .isEqualTo(new BuildOutcome("succeeded", "succeeded", ""));
    assertThat(of("{'status':'succeeded','deploy':null}"))
        .isEqualTo(new BuildOutcome("succeeded", "succeeded", ""));
  }

  @Test
  void aReasonSplitsIntoItsFirstLineAndTheLogLinesAfterIt() {
    assertThat(BuildOutcome.head("out of memory; the log ends with:\nKilled\nexit 137"))
        .isEqualTo("out of memory; the log ends with:");
    assertThat(BuildOutcome.rest("out of memory; the log ends with:\nKilled\nexit 137"))
        .isEqualTo("Killed\nexit 137");
    assertThat(BuildOutcome.rest("one line")).isEmpty();
    assertThat(BuildOutcome.head(null)).isEmpty();
  }
}
