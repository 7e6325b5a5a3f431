package io.slipway.portal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(AppLogsController.class)
class AppLogsControllerTest {

  static final String LINES = "event:log\ndata:GET / 200\n\nevent:log\ndata:GET /x 404\n\n";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void logs() {
    services.clear();
    doAnswer(call -> new ByteArrayInputStream(LINES.getBytes(StandardCharsets.UTF_8)))
        .when(services.runtimes)
        .logs("acme", "web", "api", 100, true, FakeServices.BEARER);
    doAnswer(call -> new ByteArrayInputStream(LINES.getBytes(StandardCharsets.UTF_8)))
        .when(services.runtimes)
        .logs("acme", "web", "api", 100, false, FakeServices.BEARER);
  }

  @Test
  void followsTheLastHundredLinesLive() throws Exception {
    String body =
        mvc.perform(get("/t/acme/p/web/a/api/logs").with(Users.developer("a")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(body).isEqualTo(LINES);
  }

  @Test
  void theTailIsAlsoPlainText() throws Exception {
    String text =
        mvc.perform(get("/t/acme/p/web/a/api/logs.txt").with(Users.developer("a")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(text).isEqualTo("GET / 200\nGET /x 404");
  }

  @Test
  void nobodySignedOutGetsAStream() throws Exception {
    mvc.perform(get("/t/acme/p/web/a/api/logs")).andExpect(status().is3xxRedirection());
  }
}
