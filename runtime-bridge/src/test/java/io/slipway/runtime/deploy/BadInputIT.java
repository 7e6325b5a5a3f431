package io.slipway.runtime.deploy;

import io.slipway.testing.BadInputSuite;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** The shared bad-input suite against runtime-bridge, as the developer who owns an app. */
class BadInputIT extends ApiFixture implements BadInputSuite {

  private String alice;

  @BeforeEach
  void app() throws Exception {
    alice = aliceWithApp();
  }

  @Override
  public String apiUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public String token() {
    return alice;
  }

  @Override
  public int maxBodyBytes() {
    return 256 * 1024;
  }

  @Override
  public List<Call> bodyCalls() {
    return List.of(
        new Call("POST", appPath + "/deployments", null),
        new Call("POST", appPath + "/rollback", null),
        new Call("POST", appPath + "/scale", null),
        new Call("PUT", appPath + "/env", null),
        new Call("PUT", appPath + "/secrets/TOKEN", null),
        new Call("POST", appPath + "/domains", null),
        new Call("PUT", "/api/v1/tenants/" + tenant + "/image-policy", null),
        new Call("PUT", appPath + "/function", null));
  }

  @Override
  public List<String> pagedPaths() {
    return List.of(); // no list here pages; the log tail is bounded (below)
  }

  @Override
  public List<Call> nonIntegerCalls() {
    String deploy = appPath + "/deployments";
    return List.of(
        new Call("POST", deploy, "{\"image\":\"localhost/x:1\",\"replicas\":1.5}"),
        new Call("POST", deploy, "{\"image\":\"localhost/x:1\",\"port\":\"8080\"}"),
        new Call("POST", deploy, "{\"image\":\"localhost/x:1\",\"memoryMib\":1e3}"),
        new Call("POST", deploy, "{\"image\":\"localhost/x:1\",\"runAsUser\":1e30}"),
        new Call("POST", appPath + "/scale", "{\"replicas\":99999999999}"),
        new Call("POST", appPath + "/rollback", "{\"revision\":1.5}"),
        new Call("PUT", appPath + "/function", "{\"timeoutSeconds\":1.5}"),
        new Call("PUT", appPath + "/function", "{\"timeoutSeconds\":99999999999}"),
        new Call("GET", appPath + "/activations?limit=0", null),
        new Call("GET", appPath + "/activations?limit=99999999999", null),
        new Call("GET", appPath + "/activations?limit=50&before=ac%0A", null),
        new Call("GET", appPath + "/logs?tail=-1", null),
        new Call("GET", appPath + "/logs?tail=10001", null),
        new Call("GET", appPath + "/logs?tail=99999999999", null),
        new Call("GET", appPath + "/logs?tail=1.5", null));
  }

  @Override
  public List<Call> newlineCalls() {
    return List.of(
        new Call("PUT", appPath + "/env", "{\"env\":{\"A\":\"one\\ntwo\"}}"),
        new Call("PUT", appPath + "/env", "{\"env\":{\"A\\nB\":\"x\"}}"),
        new Call("PUT", appPath + "/env", "{\"env\":{},\"secrets\":{\"S\":\"one\\r\\nX=1\"}}"),
        new Call(
            "PUT",
            appPath + "/env",
            "{\"env\":{\""
                + "A".repeat(io.slipway.kit.validation.Limits.ENV_NAME_MAX + 1)
                + "\":\"x\"}}"),
        new Call(
            "POST",
            appPath + "/deployments",
            "{\"image\":\"localhost/x:1\",\"env\":{\"A\":\"one\\ntwo\"}}"),
        new Call("POST", appPath + "/domains", "{\"domain\":\"shop.example.com\\nx\"}"));
  }

  @Override
  public List<String> segmentPaths() {
    return List.of(
        "/api/v1/tenants/%s/projects/web/apps/site/deployments",
        "/api/v1/tenants/" + tenant + "/projects/%s/apps/site/env",
        "/api/v1/tenants/" + tenant + "/projects/web/apps/%s/events",
        appPath + "/domains/%s",
        "/api/v1/tenants/%s/image-policy");
  }

  @Override
  public String livenessPath() {
    return appPath + "/deployments";
  }
}
