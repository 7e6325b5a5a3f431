package io.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.BadInputSuite;
import io.slipway.testing.TestTenantService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;

/** The shared bad-input suite against build-service, as the owner of a tenant with two apps. */
class BadInputIT extends BuildServiceTest implements BadInputSuite {

  private static Tenancy tenancy;
  private static String secret;

  @BeforeEach
  void tenancy() {
    if (tenancy != null) {
      return;
    }
    tenancy = new Tenancy(TestTenantService.url());
    Json.Response created =
        Json.post(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps",
            Map.of(
                "name",
                "ext",
                "source",
                "external-git",
                "sourceRef",
                "https://git.example.invalid/ext.git"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Json.Response read = Json.get(tenancy.owner.jwt(), baseUrl() + app("ext") + "/webhook");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    secret = read.json().path("secret").asString();
  }

  private String app(String name) {
    return "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/" + name;
  }

  @Override
  public String apiUrl() {
    return baseUrl();
  }

  @Override
  public String token() {
    return tenancy.owner.jwt();
  }

  @Override
  public int maxBodyBytes() {
    return 1024 * 1024;
  }

  @Override
  public List<Call> bodyCalls() {
    // the only body build-service reads from anyone (git pushes and the platform admin's advisory
    // upload have limits of their own)
    return List.of(new Call("POST", "/hooks/" + tenancy.tenant + "/web/ext", null));
  }

  @Override
  public List<String> pagedPaths() {
    return List.of(app("site") + "/builds");
  }

  @Override
  public List<Call> nonIntegerCalls() {
    return List.of(
        new Call("GET", app("site") + "/builds/1.5", null),
        new Call("GET", app("site") + "/builds/1e3", null),
        new Call("GET", app("site") + "/builds/99999999999999999999", null),
        new Call("POST", app("site") + "/builds/2147483648/cancel", null));
  }

  @Override
  public List<Call> newlineCalls() {
    String commit = "a".repeat(40);
    return List.of(
        signedPush("{\"ref\":\"refs/heads/main\\nX-Injected: 1\",\"after\":\"" + commit + "\"}"),
        signedPush("{\"ref\":\"refs/heads/ma in\",\"after\":\"" + commit + "\"}"),
        signedPush(
            "{\"ref\":\"refs/heads/main\",\"after\":\""
                + commit
                + "\",\"pusher\":{\"name\":\"a\\r\\nb\"}}"));
  }

  /** A push to the external-git app, signed with its real secret. */
  private Call signedPush(String body) {
    return new Call(
        "POST",
        "/hooks/" + tenancy.tenant + "/web/ext",
        body,
        Map.of("X-Hub-Signature-256", "sha256=" + hmac(body), "X-GitHub-Event", "push"));
  }

  private static String hmac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<String> segmentPaths() {
    return List.of(
        "/api/v1/tenants/%s/projects/web/apps/site/builds",
        "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/%s/builds",
        app("site") + "/builds/%s",
        app("site") + "/webhook/%s",
        "/api/v1/admin/signing-keys/%s",
        "/api/v1/internal/images/%s");
  }

  @Override
  public String livenessPath() {
    return app("site") + "/builds";
  }
}
