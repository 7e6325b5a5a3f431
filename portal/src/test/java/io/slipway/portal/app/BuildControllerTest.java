package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static io.slipway.portal.web.FakeServices.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.kit.client.AppBuilds.Scan;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
        .when(services.appBuilds)
        .buildLog("acme", "web", "api", 7, BEARER);
  }

  /** build-service's build 7 is {@code json} (single quotes for double). */
  private void buildIs(String json) {
    doReturn(answer(json, BuildView.class))
        .when(services.appBuilds)
        .build("acme", "web", "api", 7, BEARER);
  }

  /** build-service's scan of build 7's image is {@code json}. */
  private void scanIs(String json) {
    doReturn(answer(json, Scan.class))
        .when(services.appBuilds)
        .scan("acme", "web", "api", 7, BEARER);
  }

  /** The page of build 7, finished as {@code json} (single quotes for double) says. */
  private String finishedBuildPage(String json) throws Exception {
    buildIs(json);
    logIs(LOG);
    return mvc.perform(get(BUILD).with(Users.developer("a")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void aFinishedBuildShowsItsStagesAndTheLogAsKept() throws Exception {
    String page =
        finishedBuildPage(
            "{'number':7,'status':'succeeded','commitId':'1a2b','ref':'refs/heads/main',"
                + "'pushedBy':'alice','receivedAt':'2026-11-25T10:00:00Z','image':'localhost/x',"
                + "'stages':[{'name':'queue','millis':12},{'name':'build','millis':1500}]}");
    assertThat(page)
        .contains("Build #7", "succeeded", "queue", "12 ms", "1.5 s")
        .contains("STEP 1/2: FROM scratch\nSTEP 2/2: COPY . /")
        .doesNotContain("data-stream=", "Cancel build");
  }

  @Test
  void aBuildWhoseDeployFailedIsAFailedPushWithTheDeploysReason() throws Exception {
    String page =
        finishedBuildPage(
            "{'number':7,'status':'succeeded','commitId':'1a2b','ref':'refs/heads/main',"
                + "'pushedBy':'alice','image':'localhost/x','stages':[],"
                + "'deploy':{'status':'failed','revision':4,"
                + "'reason':'revision 4 exited with code 3; last log lines:\\nDATABASE_URL is not set'}}");
    assertThat(page)
        .contains("push failed at the deploy stage")
        .contains("revision 4 exited with code 3; last log lines:\nDATABASE_URL is not set")
        .contains("href=\"/t/acme/p/web/a/api#history\"");
  }

  @Test
  void aRunningBuildIsFollowedLiveWithACancelButton() throws Exception {
    buildIs("{'number':7,'status':'running','commitId':'1a2b','pushedBy':'alice'}");
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
    doThrow(refusal(503, "unavailable", "build-service cannot be reached right now"))
        .when(services.appBuilds)
        .buildLog("acme", "web", "api", 7, BEARER);
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
    doThrow(refusal(409, "conflict", "build 7 already finished: succeeded"))
        .when(services.appBuilds)
        .cancelBuild("acme", "web", "api", 7, BEARER);
    mvc.perform(post(BUILD + "/cancel").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(BUILD))
        .andExpect(flash().attribute("error", "build 7 already finished: succeeded"));
  }

  @Test
  void cancellingARunningBuild() throws Exception {
    mvc.perform(post(BUILD + "/cancel").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(BUILD))
        .andExpect(flash().attribute("notice", "Build #7 cancelled."));
    org.mockito.Mockito.verify(services.appBuilds).cancelBuild("acme", "web", "api", 7, BEARER);
  }

  private void succeeded() {
    buildIs("{'number':7,'status':'succeeded','commitId':'1a2b','pushedBy':'alice'}");
    logIs(LOG);
  }

  private String page() throws Exception {
    return mvc.perform(get(BUILD).with(Users.developer("a")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void aSucceededBuildShowsItsScanWorstFirstWithACountPerSeverity() throws Exception {
    succeeded();
    scanIs(
        "{'digest':'sha256:ab','advisoryRevision':'sha256:cd','signed':true,'keyId':'k1',"
            + "'findings':["
            + "{'advisoryId':'OSV-LOW-1','package':'zlib','version':'1.2','ecosystem':'Debian',"
            + "'severity':'LOW','fixedVersion':null,'summary':'minor'},"
            + "{'advisoryId':'OSV-CRIT-1','package':'left-pad','version':'1.1.0','ecosystem':'npm',"
            + "'severity':'CRITICAL','fixedVersion':'1.3.0','summary':'pads wrongly'},"
            + "{'advisoryId':'OSV-LOW-2','package':'bzip2','version':'1.0','ecosystem':'Debian',"
            + "'severity':'LOW','fixedVersion':'1.1','summary':''}]}");
    String page = page();
    assertThat(page)
        .contains("Supply chain", "signed by the platform", "Download the SBOM")
        .contains("href=\"/t/acme/p/web/a/api/builds/7/sbom\"")
        .doesNotContain("No known vulnerabilities");
    String summary =
        page.substring(
            page.indexOf(">", page.indexOf("id=\"scan-summary\"")) + 1,
            page.indexOf("</ul>", page.indexOf("id=\"scan-summary\"")));
    assertThat(summary.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip())
        .isEqualTo("CRITICAL 1 LOW 2");
    String table = page.substring(page.indexOf("id=\"scan\""));
    assertThat(table.indexOf("OSV-CRIT-1")).isLessThan(table.indexOf("OSV-LOW-2"));
    assertThat(table.indexOf("OSV-LOW-2"))
        .as("bzip2 before zlib")
        .isLessThan(table.indexOf("OSV-LOW-1"));
    assertThat(table).contains("left-pad", "1.1.0", "1.3.0", "no fix yet", "sev-critical");
  }

  @Test
  void aCleanScanSaysSo() throws Exception {
    succeeded();
    scanIs("{'digest':'sha256:ab','signed':false,'keyId':'k1','findings':[]}");
    assertThat(page())
        .contains("No known vulnerabilities", "signature does not verify")
        .doesNotContain("id=\"scan\"");
  }

  @Test
  void aScanBuildServiceCannotGiveIsExplainedOnItsOwn() throws Exception {
    succeeded();
    doThrow(new org.springframework.web.client.ResourceAccessException("Connection refused"))
        .when(services.appBuilds)
        .scan("acme", "web", "api", 7, BEARER);
    assertThat(page())
        .contains("build-service cannot be reached right now", "STEP 1/2: FROM scratch")
        .doesNotContain("Download the SBOM");
  }

  @Test
  void theSbomIsRelayedAsAFileDownload() throws Exception {
    byte[] sbom = "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8);
    doReturn(sbom).when(services.appBuilds).sbom("acme", "web", "api", 7, BEARER);
    var response =
        mvc.perform(get(BUILD + "/sbom").with(Users.developer("a")))
            .andExpect(status().isOk())
            .andExpect(header().string("Content-Type", "application/vnd.cyclonedx+json"))
            .andExpect(
                header()
                    .string("Content-Disposition", "attachment; filename=\"api-build-7.cdx.json\""))
            .andReturn()
            .getResponse();
    assertThat(response.getContentAsByteArray()).isEqualTo(sbom);
  }

  @Test
  void anSbomThatDoesNotExistIsAPageThatSaysWhy() throws Exception {
    doThrow(
            refusal(
                404,
                "not-found",
                "Build 7 of api has no SBOM: it has not produced an image (failed)"))
        .when(services.appBuilds)
        .sbom("acme", "web", "api", 7, BEARER);
    assertThat(
            mvc.perform(get(BUILD + "/sbom").with(Users.developer("a")))
                .andExpect(status().isNotFound())
                .andReturn()
                .getResponse()
                .getContentAsString())
        .contains("has no SBOM: it has not produced an image");
  }
}
