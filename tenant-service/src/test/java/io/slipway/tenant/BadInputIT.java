package io.slipway.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.ServiceTest;
import io.slipway.tenant.support.TestTokens;
import io.slipway.testing.BadInputSuite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The shared bad-input suite against tenant-service, on real PostgreSQL, as a tenant's admin. */
class BadInputIT extends ServiceTest implements BadInputSuite {

  private final String token = TestTokens.user(unique("admin"));
  private final String tenant = unique("bad");

  @BeforeEach
  void tenantWithProjectAndApp() {
    String base = "/api/v1/tenants/" + tenant;
    assertThat(api.post(token, "/api/v1/tenants", Map.of("name", tenant)).status()).isEqualTo(201);
    assertThat(api.post(token, base + "/projects", Map.of("name", "web")).status()).isEqualTo(201);
    assertThat(api.post(token, base + "/projects/web/apps", Map.of("name", "api")).status())
        .isEqualTo(201);
  }

  @Override
  public String apiUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public int maxBodyBytes() {
    return 64 * 1024;
  }

  private String base() {
    return "/api/v1/tenants/" + tenant;
  }

  @Override
  public List<Call> bodyCalls() {
    return List.of(
        new Call("POST", "/api/v1/tenants", null),
        new Call("PATCH", base(), null),
        new Call("PUT", base() + "/members/someone", null),
        new Call("POST", base() + "/projects", null),
        new Call("POST", base() + "/projects/web/apps", null),
        new Call("PUT", base() + "/projects/web/apps/api/previews/pr-1", null),
        new Call("PUT", base() + "/projects/web/quota", null),
        new Call("POST", "/api/v1/tokens", null));
  }

  @Override
  public List<String> pagedPaths() {
    return List.of(
        "/api/v1/tenants",
        base() + "/members",
        base() + "/projects",
        base() + "/projects/web/apps",
        base() + "/projects/web/apps/api/previews",
        base() + "/usage",
        base() + "/audit");
  }

  @Override
  public List<Call> nonIntegerCalls() {
    String quota = base() + "/projects/web/quota";
    String preview = base() + "/projects/web/apps/api/previews/pr-1";
    return List.of(
        new Call("PUT", quota, "{\"memoryMib\": 1.5}"),
        new Call("PUT", quota, "{\"memoryMib\": 1e3}"),
        new Call("PUT", quota, "{\"replicas\": 99999999999999999999}"),
        new Call("PUT", quota, "{\"cpuMillicores\": 9223372036854775807}"),
        new Call("PUT", quota, "{\"storageMib\": \"12\"}"),
        new Call("PUT", preview, "{\"pullRequest\": 1.5}"),
        new Call("PUT", preview, "{\"pullRequest\": 99999999999}"));
  }

  @Override
  public List<Call> newlineCalls() {
    return List.of(
        new Call("POST", "/api/v1/tenants", "{\"name\": \"a\\nb\"}"),
        new Call("PATCH", base(), "{\"displayName\": \"line\\nbreak\"}"),
        new Call(
            "POST", base() + "/projects", "{\"name\": \"web2\", \"displayName\": \"a\\r\\nb\"}"),
        new Call(
            "POST",
            base() + "/projects/web/apps",
            "{\"name\": \"ext\", \"source\": \"external-git\","
                + " \"sourceRef\": \"https://example.com/a.git\\nHost: x\"}"),
        new Call("PUT", base() + "/projects/web/apps/api/previews/pr-1", "{\"branch\": \"a\\nb\"}"),
        new Call("POST", "/api/v1/tokens", "{\"name\": \"a\\u0000b\", \"scopes\": [\"git\"]}"));
  }

  @Override
  public List<String> segmentPaths() {
    return List.of(
        "/api/v1/tenants/%s",
        base() + "/projects/%s",
        base() + "/projects/web/apps/%s",
        base() + "/projects/web/apps/api/previews/%s",
        base() + "/members/%s");
  }

  @Override
  public String livenessPath() {
    return base() + "/projects/web/apps/api";
  }
}
