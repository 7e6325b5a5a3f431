package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import org.junit.jupiter.api.Test;

class AppStatusTest {

  @Test
  void eachStateOfTheDeploymentsViewReadsPlainly() {
    assertThat(AppStatus.of(null).state()).isEqualTo("not-deployed");
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'liveRevision':1,'revisions':[{'revision':1,'status':'live','replicas':2,'port':8080}]}"))
                .label())
        .isEqualTo("Running (2 replicas)");
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'liveRevision':1,'revisions':[{'revision':2,'status':'deploying','replicas':1,'port':8080},"
                            + "{'revision':1,'status':'live','replicas':1,'port':8080}]}"))
                .state())
        .isEqualTo("deploying");
    // accepted, not yet taken by the reconciler: shown the same way
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'liveRevision':1,'revisions':[{'revision':2,'status':'pending','replicas':1,'port':8080},"
                            + "{'revision':1,'status':'live','replicas':1,'port':8080}]}"))
                .label())
        .isEqualTo("Deploying revision 2");
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'revisions':[{'revision':1,'status':'failed','replicas':1,'port':8080}]}"))
                .state())
        .isEqualTo("failed");
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':true,'liveRevision':1,"
                            + "'revisions':[{'revision':1,'status':'live','replicas':1,'port':8080}]}"))
                .stopped())
        .isTrue();
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'revisions':[{'revision':1,'status':'stopped','replicas':1,'port':8080}]}"))
                .stopped())
        .isTrue();
  }

  @Test
  void onlyAnAppWithALiveRevisionThatIsNotStoppedServesAndCanBeStoppedOrScaled() {
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'liveRevision':1,'revisions':[{'revision':2,'status':'deploying','replicas':1,'port':8080},"
                            + "{'revision':1,'status':'live','replicas':1,'port':8080}]}"))
                .serving())
        .isTrue();
    // the first deploy still starting, the last deploy failed with nothing live, or stopped
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'revisions':[{'revision':1,'status':'deploying','replicas':1,'port':8080}]}"))
                .serving())
        .isFalse();
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':false,'revisions':[{'revision':1,'status':'failed','replicas':1,'port':8080}]}"))
                .serving())
        .isFalse();
    assertThat(
            AppStatus.of(
                    deployments(
                        "{'stopped':true,'liveRevision':1,"
                            + "'revisions':[{'revision':1,'status':'live','replicas':1,'port':8080}]}"))
                .serving())
        .isFalse();
  }

  /** runtime-bridge's deployments view, written as the JSON it sends. */
  private static DeploymentsView deployments(String json) {
    return answer(json, DeploymentsView.class);
  }
}
