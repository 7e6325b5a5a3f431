package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.reads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.Users;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(BuildController.class)
class BuildControllerTest {

  static final String BUILD = "/t/acme/p/web/a/api/builds/7";
  static final String LOG =
      "event:log\ndata:STEP 1/2: FROM scratch\n\nevent:log\ndata:STEP 2/2: COPY . /\n\n"
          + "event:end\ndata:succeeded\n\n";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  private void logIs(String sse) {
    doAnswer(call -> new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)))
        .when(services.build)
        .stream(AppRef.API + "/builds/{n}/logs", "acme", "web", "api", 7);
  }

  @Test
  void aFinishedBuildShowsItsStagesAndTheLogAsKept() throws Exception {
    reads(
        services.build,
        "{'number':7,'status':'succeeded','commitId':'1a2b','ref':'refs/heads/main',"
            + "'pushedBy':'alice','receivedAt':'2026-11-25T10:00:00Z','image':'localhost/x',"
            + "'stages':[{'name':'queue','millis':12},{'name':'build','millis':1500}]}",
        AppRef.API + "/builds/{n}",
        "acme",
        "web",
        "api",
        7);
    logIs(LOG);
    String page =
        mvc.perform(get(BUILD).with(Users.developer("a")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Build #7", "succeeded", "queue", "12 ms", "1.5 s")
        .contains("STEP 1/2: FROM scratch\nSTEP 2/2: COPY . /")
        .doesNotContain("data-stream=", "Cancel build");
  }

  @Test
  void aRunningBuildIsFollowedLiveWithACancelButton() throws Exception {
    reads(
        services.build,
        "{'number':7,'status':'running','commitId':'1a2b','pushedBy':'alice'}",
        AppRef.API + "/builds/{n}",
        "acme",
        "web",
        "api",
        7);
    String page =
        mvc.perform(get(BUILD).with(Users.developer("a")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("data-stream=\"/t/acme/p/web/a/api/builds/7/log\"")
        .contains("data-fallback=\"/t/acme/p/web/a/api/builds/7/log.txt\"")
        .contains("Cancel build");
  }

  @Test
  void theLiveLogIsRelayedAsServerSentEvents() throws Exception {
    logIs(LOG);
    String body =
        mvc.perform(get(BUILD + "/log").with(Users.developer("a")))
            .andExpect(status().isOk())
            .andExpect(header().string("Content-Type", "text/event-stream;charset=UTF-8"))
            .andExpect(header().string("Cache-Control", "no-cache"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(body).isEqualTo(LOG);
  }

  @Test
  void aRefusedStreamBecomesOneProblemEvent() throws Exception {
    doThrow(new ServiceProblem(503, "build-service cannot be reached right now"))
        .when(services.build)
        .stream(AppRef.API + "/builds/{n}/logs", "acme", "web", "api", 7);
    String body =
        mvc.perform(get(BUILD + "/log").with(Users.developer("a")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(body)
        .isEqualTo("event: problem\ndata: build-service cannot be reached right now\n\n");
  }

  @Test
  void theKeptLogIsPlainText() throws Exception {
    logIs(LOG);
    String text =
        mvc.perform(get(BUILD + "/log.txt").with(Users.developer("a")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(text).isEqualTo("STEP 1/2: FROM scratch\nSTEP 2/2: COPY . /");
  }

  @Test
  void cancellingAFinishedBuildSaysWhyNot() throws Exception {
    doThrow(new ServiceProblem(409, "conflict", "build 7 already finished: succeeded"))
        .when(services.build)
        .post(Map.of(), AppRef.API + "/builds/{n}/cancel", "acme", "web", "api", 7);
    mvc.perform(post(BUILD + "/cancel").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(BUILD))
        .andExpect(flash().attribute("error", "build 7 already finished: succeeded"));
  }

  @Test
  void cancellingARunningBuild() throws Exception {
    mvc.perform(post(BUILD + "/cancel").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(BUILD))
        .andExpect(flash().attribute("notice", "Build #7 cancelled."));
  }
}
