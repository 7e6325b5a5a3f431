package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class PushToLiveTest {

  static final BuildView BUILD =
      build(
          "{'id':'b-1','number':4,'receivedAt':'2026-11-25T10:00:00Z','stages':["
              + "{'name':'receive','millis':100},{'name':'queue','millis':0},"
              + "{'name':'build','millis':800},{'name':'image','millis':100}]}");

  @Test
  void theLiveRevisionsBuildIsFoundAndTheGapBetweenStagesShownAsHandOffs() {
    DeploymentsView deployment =
        deployments(
            "{'stopped':false,'liveRevision':2,'revisions':[{'revision':3,'status':'failed','replicas':1,'port':8080,'buildNumber':9},"
                + "{'revision':2,'status':'live','replicas':1,'port':8080,'buildNumber':4,"
                + "'liveAt':'2026-11-25T10:00:02Z','stages':[{'name':'admission','millis':50},"
                + "{'name':'start','millis':300},{'name':'health','millis':400},"
                + "{'name':'route','millis':50}]}]}");
    PushToLive ptl = PushToLive.of(deployment, byNumber(BUILD)).orElseThrow();
    assertThat(ptl.revision()).isEqualTo(2);
    assertThat(ptl.build()).isEqualTo(4);
    assertThat(ptl.totalMillis()).isEqualTo(2000);
    assertThat(ptl.stages())
        .extracting(PushToLive.Stage::name)
        .containsExactly(
            "receive",
            "queue",
            "build",
            "image",
            "admission",
            "start",
            "health",
            "route",
            "hand-offs");
    assertThat(ptl.stages().getLast().millis()).isEqualTo(200);
    assertThat(ptl.stages().stream().mapToLong(PushToLive.Stage::millis).sum()).isEqualTo(2000);
    // bar geometry in per mille: build starts after receive+queue (100 ms of 2000)
    PushToLive.Stage build = ptl.stages().get(2);
    assertThat(build.offset()).isEqualTo(50);
    assertThat(build.width()).isEqualTo(400);
    assertThat(ptl.stages().get(1).width()).as("a stage of 0 ms takes no room").isZero();
  }

  @Test
  void withoutTimesTheTotalIsTheSumOfStages() {
    BuildView build = build("{'id':'b-1','number':1,'stages':[{'name':'build','millis':5}]}");
    DeploymentsView deployment =
        deployments(
            "{'stopped':false,'liveRevision':1,'revisions':[{'revision':1,'status':'live','replicas':1,'port':8080,'buildNumber':1,"
                + "'stages':[{'name':'start','millis':1}]}]}");
    PushToLive ptl = PushToLive.of(deployment, byNumber(build)).orElseThrow();
    assertThat(ptl.totalMillis()).isEqualTo(6);
    assertThat(ptl.stages()).hasSize(2);
  }

  @Test
  void nothingIsShownWhenTheBuildIsUnknownOrNothingWentLive() {
    DeploymentsView imageDeploy =
        deployments(
            "{'stopped':false,'liveRevision':1,'revisions':[{'revision':1,'status':'live','replicas':1,'port':8080,'liveAt':'2026-11-25T10:00:02Z'}]}");
    assertThat(PushToLive.of(imageDeploy, byNumber(BUILD))).isEmpty();
    assertThat(PushToLive.of(deployments("{'stopped':false,'revisions':[]}"), byNumber(BUILD)))
        .isEmpty();
    assertThat(PushToLive.of(null, byNumber(BUILD))).isEmpty();
    DeploymentsView fromBuild5 =
        deployments(
            "{'stopped':false,'liveRevision':1,'revisions':[{'revision':1,'status':'live','replicas':1,'port':8080,'buildNumber':5,'stages':[]}]}");
    assertThat(PushToLive.of(fromBuild5, byNumber(BUILD))).isEmpty();
  }

  /** Build-service's answer for a build number: {@code build} for its own number, else none. */
  private static IntFunction<Optional<BuildView>> byNumber(BuildView build) {
    return number -> build.number() == number ? Optional.of(build) : Optional.empty();
  }

  private static BuildView build(String json) {
    return answer(json, BuildView.class);
  }

  private static DeploymentsView deployments(String json) {
    return answer(json, DeploymentsView.class);
  }

  @Test
  void secondsAreReadable() {
    assertThat(PushToLive.seconds(340)).isEqualTo("340 ms");
    assertThat(PushToLive.seconds(1740)).isEqualTo("1.7 s");
  }
}
