package io.slipway.portal.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.ResourceAccessException;

@PortalSliceTest(ApiReferenceController.class)
class ApiReferenceControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void eachServicesDocumentIsReadAsTheUserAndOneThatIsDownSaysSo() throws Exception {
    doReturn(
            FakeServices.json(
                "{'info':{'title':'Slipway tenant-service API'},'paths':{'/api/v1/tenants':"
                    + "{'get':{'tags':['tenants'],'summary':'Your tenants'}}}}"))
        .when(services.documents.get(0))
        .document(FakeServices.BEARER);
    doThrow(new ResourceAccessException("Connection refused"))
        .when(services.documents.get(1))
        .document(FakeServices.BEARER);
    String page =
        mvc.perform(get("/api-reference").with(Users.developer("alice")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Slipway tenant-service API", "Your tenants", "1 operations")
        .contains(
            "build-service did not answer, so its operations are not listed here:"
                + " build-service cannot be reached right now; try again shortly");
  }
}
