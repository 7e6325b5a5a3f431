package io.slipway.portal.supplychain;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.BuildService.AdvisoryImport;
import io.slipway.kit.client.BuildService.SigningKey;
import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.ResourceAccessException;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest(SupplyChainController.class)
class SupplyChainControllerTest {

  static final String PAGE = "/admin/supply-chain";
  static final String ADVISORY = "{\"id\":\"SLW-1\",\"modified\":\"2026-01-01T00:00:00Z\"}";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
    doReturn(
            answer(
                "{'requireSigned':true,'allowedRegistries':['*'],'maxSeverity':'HIGH',"
                    + "'tenantWaiversAllowed':true,'waivers':[]}",
                PolicyDocument.class))
        .when(services.policies)
        .floor(FakeServices.BEARER);
  }

  @Test
  void onlyPlatformAdminsSeeThePage() throws Exception {
    mvc.perform(get(PAGE).with(Users.developer("alice"))).andExpect(status().isForbidden());
    String page =
        mvc.perform(get(PAGE).with(Users.platformAdmin("root")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Image policy floor", "Save the floor", "Vulnerability advisories")
        .contains("<option value=\"HIGH\" selected=\"selected\">HIGH</option>")
        .contains("enctype=\"multipart/form-data\"");
  }

  @Test
  void theFloorIsWrittenWhole() throws Exception {
    mvc.perform(
            post(PAGE + "/floor")
                .param("requireSigned", "true")
                .param("allowedRegistries", "localhost, registry.example.com")
                .param("maxSeverity", "MEDIUM")
                .with(csrf())
                .with(Users.platformAdmin("root")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "The floor is saved: it applies to the next deploy of every tenant."));
    verify(services.policies)
        .setFloor(
            new PolicyDocument(
                true, List.of("localhost", "registry.example.com"), "MEDIUM", false, List.of()),
            FakeServices.BEARER);
  }

  @Test
  void anUploadedAdvisoryFileGoesToBuildServiceAndItsReportIsShown() throws Exception {
    doReturn(
            answer(
                "{'imported':1,'withdrawn':0,'problems':['record 2: no id'],"
                    + "'advisoryRevision':'sha256:ab','changed':true,'advisories':12,'rescanned':3}",
                AdvisoryImport.class))
        .when(services.builds)
        .importAdvisories(any(), eq(FakeServices.BEARER));
    byte[] file = ADVISORY.getBytes(StandardCharsets.UTF_8);
    mvc.perform(
            multipart(PAGE + "/advisories")
                .file(new MockMultipartFile("file", "slw-1.json", "application/json", file))
                .with(csrf())
                .with(Users.platformAdmin("root")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "slw-1.json imported: 1 advisory new or updated, 0 withdrawn, 12 in all;"
                        + " 3 images rescanned."))
        .andExpect(flash().attribute("importProblems", List.of("record 2: no id")));
    verify(services.builds).importAdvisories(file, FakeServices.BEARER);
  }

  @Test
  void anEmptyUploadIsNotSentAndARefusalIsShown() throws Exception {
    mvc.perform(
            multipart(PAGE + "/advisories")
                .file(new MockMultipartFile("file", "empty.json", "application/json", new byte[0]))
                .with(csrf())
                .with(Users.platformAdmin("root")))
        .andExpect(
            flash().attribute("error", "Choose an OSV JSON file or a zip of them to import."));
    verifyNoInteractions(services.builds);

    doThrow(FakeServices.refusal(400, "malformed", "not an OSV record: unexpected end of input"))
        .when(services.builds)
        .importAdvisories(any(), eq(FakeServices.BEARER));
    mvc.perform(
            multipart(PAGE + "/advisories")
                .file(
                    new MockMultipartFile("file", "bad.json", "application/json", new byte[] {'{'}))
                .with(csrf())
                .with(Users.platformAdmin("root")))
        .andExpect(flash().attribute("error", "not an OSV record: unexpected end of input"));
  }

  @Test
  void runtimeBridgeDownHidesOnlyTheFloor() throws Exception {
    services.clear();
    doThrow(new ResourceAccessException("Connection refused"))
        .when(services.policies)
        .floor(FakeServices.BEARER);
    String page =
        mvc.perform(get(PAGE).with(Users.platformAdmin("root")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("runtime-bridge cannot be reached right now", "Vulnerability advisories")
        .doesNotContain("Save the floor");
  }

  @Test
  void theKeysAreListedWithWhatEachMayStillDo() throws Exception {
    doReturn(
            answer(
                "[{'id':'aaaa1111','active':true,'trusted':true,'createdAt':'2026-11-26T01:00:00Z',"
                    + "'publicKeyPem':'-----BEGIN PUBLIC KEY-----A'},"
                    + "{'id':'bbbb2222','active':false,'trusted':true,'createdAt':'2026-11-25T01:00:00Z',"
                    + "'publicKeyPem':'-----BEGIN PUBLIC KEY-----B'},"
                    + "{'id':'cccc3333','active':false,'trusted':false,'createdAt':'2026-11-24T01:00:00Z',"
                    + "'publicKeyPem':'-----BEGIN PUBLIC KEY-----C'}]",
                new TypeReference<List<SigningKey>>() {}))
        .when(services.builds)
        .signingKeys(FakeServices.BEARER);
    String page =
        mvc.perform(get(PAGE).with(Users.platformAdmin("root")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Signing keys", "Rotate the signing key", "-----BEGIN PUBLIC KEY-----B")
        .contains(">active<", ">retired, trusted<", ">distrusted<")
        .contains("/admin/supply-chain/keys/bbbb2222/distrust")
        .doesNotContain("/keys/aaaa1111/distrust", "/keys/cccc3333/distrust");
  }

  @Test
  void rotatingNamesTheNewKeyAndDistrustingARetiredOneSaysWhatFollows() throws Exception {
    doReturn(answer("{'id':'dddd4444','active':true,'trusted':true}", SigningKey.class))
        .when(services.builds)
        .rotateSigningKey(FakeServices.BEARER);
    mvc.perform(post(PAGE + "/keys/rotate").with(csrf()).with(Users.platformAdmin("root")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Key dddd4444 signs new images from now on; the earlier keys still verify what"
                        + " they signed."));
    mvc.perform(
            post(PAGE + "/keys/bbbb2222/distrust").with(csrf()).with(Users.platformAdmin("root")))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Key bbbb2222 is no longer trusted: images it signed are refused at their next"
                        + " deploy."));
    verify(services.builds).distrustSigningKey("bbbb2222", FakeServices.BEARER);
  }

  @Test
  void theActiveKeyCannotBeDistrustedAndBuildServiceSaysWhy() throws Exception {
    doThrow(
            FakeServices.refusal(
                409,
                "active-signing-key",
                "Key aaaa1111 is the active signing key and cannot be distrusted; rotate first"))
        .when(services.builds)
        .distrustSigningKey("aaaa1111", FakeServices.BEARER);
    mvc.perform(
            post(PAGE + "/keys/aaaa1111/distrust").with(csrf()).with(Users.platformAdmin("root")))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "Key aaaa1111 is the active signing key and cannot be distrusted; rotate"
                        + " first"));
    mvc.perform(post(PAGE + "/keys/rotate").with(csrf()).with(Users.developer("alice")))
        .andExpect(status().isForbidden());
  }
}
