package io.slipway.portal.web;

import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import org.mockito.invocation.InvocationOnMock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three services replaced by Mockito stand-ins, for controller slice tests: each test says what
 * a service answers and checks what the portal asked of it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FakeServices {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public final ServiceApi tenant = mock(ServiceApi.class, FakeServices::unknown);
  public final ServiceApi build = mock(ServiceApi.class, FakeServices::unknown);
  public final ServiceApi runtime = mock(ServiceApi.class, FakeServices::unknown);

  @Bean
  ServiceApis serviceApis() {
    return new ServiceApis(tenant, build, runtime);
  }

  /** Forgets every stub and call: run before each test, the context being shared. */
  public void clear() {
    org.mockito.Mockito.reset(tenant, build, runtime);
  }

  /**
   * What a service says of anything a test did not describe: changes succeed, reads find nothing
   * (404, as the services answer for what does not exist or may not be seen).
   */
  private static Object unknown(InvocationOnMock call) {
    String method = call.getMethod().getName();
    if (method.equals("get") || method.equals("stream") || method.equals("bytes")) {
      throw new ServiceProblem(404, "nothing here");
    }
    return null;
  }

  /** {@code api} answers a GET of {@code template} (expanded with {@code vars}) with JSON. */
  public static void reads(ServiceApi api, String jsonText, String template, Object... vars) {
    doReturn(json(jsonText)).when(api).get(template, vars);
  }

  /** {@code api} refuses a GET of {@code template}, as the service would. */
  public static void refuses(
      ServiceApi api, ServiceProblem problem, String template, Object... vars) {
    doThrow(problem).when(api).get(template, vars);
  }

  /** JSON text (single quotes allowed for readability) as a node. */
  public static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }
}
