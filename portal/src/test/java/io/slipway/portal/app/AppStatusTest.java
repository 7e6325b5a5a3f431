package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppStatusTest {

  @Test
  void eachStateOfTheDeploymentsViewReadsPlainly() {
    assertThat(AppStatus.of(null).state()).isEqualTo("not-deployed");
    assertThat(
            AppStatus.of(
                    json(
                        "{'liveRevision':1,'revisions':[{'revision':1,'status':'live','replicas':2}]}"))
                .label())
        .isEqualTo("Running (2 replicas)");
    assertThat(
            AppStatus.of(
                    json(
                        "{'liveRevision':1,'revisions':[{'revision':2,'status':'deploying'},"
                            + "{'revision':1,'status':'live','replicas':1}]}"))
                .state())
        .isEqualTo("deploying");
    assertThat(
            AppStatus.of(json("{'revisions':[{'revision':1,'status':'failed','replicas':1}]}"))
                .state())
        .isEqualTo("failed");
    assertThat(
            AppStatus.of(
                    json(
                        "{'stopped':true,'liveRevision':1,"
                            + "'revisions':[{'revision':1,'status':'live','replicas':1}]}"))
                .stopped())
        .isTrue();
    assertThat(
            AppStatus.of(json("{'revisions':[{'revision':1,'status':'stopped','replicas':1}]}"))
                .stopped())
        .isTrue();
  }

  @Test
  void onlyAnAppWithALiveRevisionThatIsNotStoppedServesAndCanBeStoppedOrScaled() {
    assertThat(
            AppStatus.of(
                    json(
                        "{'liveRevision':1,'revisions':[{'revision':2,'status':'deploying'},"
                            + "{'revision':1,'status':'live','replicas':1}]}"))
                .serving())
        .isTrue();
    // the first deploy still starting, the last deploy failed with nothing live, or stopped
    assertThat(AppStatus.of(json("{'revisions':[{'revision':1,'status':'deploying'}]}")).serving())
        .isFalse();
    assertThat(
            AppStatus.of(json("{'revisions':[{'revision':1,'status':'failed','replicas':1}]}"))
                .serving())
        .isFalse();
    assertThat(
            AppStatus.of(
                    json(
                        "{'stopped':true,'liveRevision':1,"
                            + "'revisions':[{'revision':1,'status':'live','replicas':1}]}"))
                .serving())
        .isFalse();
  }
}
