package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.client.AppBuilds.BuildView;
import org.junit.jupiter.api.Test;

/** A build's badge tells how the push went, the deploy included. */
class BuildOutcomeTest {

  private static BuildOutcome of(String json) {
    return BuildOutcome.of(answer(json, BuildView.class));
  }

  @Test
  void aFailedOrRefusedDeployMakesAFailedPushWithTheReasonsFirstLine() {
    assertThat(
            of(
                "{'number':1,'status':'succeeded','deploy':{'status':'failed',"
                    + "'reason':'revision 2 exited with code 1; last log lines:\\nboom'}}"))
        .isEqualTo(new BuildOutcome("deploy failed", "failed", "revision 2 exited with code 1"));
    assertThat(
            of("{'number':1,'status':'succeeded','deploy':{'status':'refused','reason':'quota'}}"))
        .isEqualTo(new BuildOutcome("deploy refused", "failed", "quota"));
  }

  @Test
  void aBuildOnItsOwnOrWithAGoodDeployShowsTheBuildsStatus() {
    assertThat(of("{'number':1,'status':'failed','reason':'out of memory\\nmore'}"))
        .isEqualTo(new BuildOutcome("failed", "failed", "out of memory"));
    assertThat(of("{'number':1,'status':'succeeded','deploy':{'status':'pending'}}"))
        .isEqualTo(new BuildOutcome("deploying", "running", ""));
    assertThat(of("{'number':1,'status':'succeeded','deploy':{'status':'live','revision':3}}"))
        .isEqualTo(new BuildOutcome("succeeded", "succeeded", ""));
    assertThat(of("{'number':1,'status':'succeeded','deploy':null}"))
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
