package io.slipway.bench;

import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One developer's view of an external-git app's previews through the public APIs: the app's webhook
 * (build-service), its previews, its project's preview bounds and the tenant's usage
 * (tenant-service).
 */
final class Previews {

  /** Keycloak's access tokens last five minutes; a benchmark's cycles outlast several. */
  private static final Duration TOKEN_LIFE = Duration.ofMinutes(4);

  private final TestPlatform platform;
  private final String user;
  private final String password;
  private final String project;
  private String token;
  private Instant signedInAt;

  Previews(TestPlatform platform, String user, String password, String tenant) {
    this.platform = platform;
    this.user = user;
    this.password = password;
    this.project = "/tenants/" + tenant + "/projects/" + Deployer.PROJECT;
  }

  private Api tenants() {
    return new Api(platform.tenant().url(), token());
  }

  private Api builds() {
    return new Api(platform.build().url(), token());
  }

  /** The user's access token, signed in again once it is near its end. */
  private synchronized String token() {
    if (token == null || signedInAt.plus(TOKEN_LIFE).isBefore(Instant.now())) {
      signedInAt = Instant.now();
      token = TestKeycloak.userToken(user, password);
    }
    return token;
  }

  /** Points the forge's deliveries at the app's hook URL, signed with its webhook secret. */
  void connect(Forge forge, Deployer.App app) {
    JsonNode webhook =
        builds().get(project + "/apps/" + app.name() + "/webhook").expect(200).json();
    forge.connect(webhook.path("url").asString(), webhook.path("secret").asString());
  }

  /** Preview {@code name} of the app as tenant-service answers it: 200 with it, or 404. */
  Api.Response preview(Deployer.App app, String name) {
    return tenants().get(project + "/apps/" + app.name() + "/previews/" + name);
  }

  /** The host a preview answers at, from its reserved host label. */
  String host(Deployer.App app, String name) {
    return preview(app, name).expect(200).json().path("hostLabel").asString() + ".apps.localhost";
  }

  /** The project's preview settings ({@code previewPolicy}, {@code previewTtl}, ...), as a PUT. */
  void settings(Map<String, Object> settings) {
    tenants().put(project + "/preview-settings", settings).expect(200);
  }

  /** The project's own quota, as a PUT (limits left out are the tenant's). */
  void projectQuota(Map<String, Object> limits) {
    tenants().put(project + "/quota", limits).expect(200);
  }

  /**
   * What the project holds now of what a running preview reserves or counts: CPU, memory, replicas
   * and previews.
   */
  Map<String, Long> held() {
    JsonNode used = tenants().get(project + "/quota").expect(200).json().path("used");
    return Map.of(
        "cpuMillicores", used.path("cpuMillicores").asLong(),
        "memoryMib", used.path("memoryMib").asLong(),
        "replicas", used.path("replicas").asLong(),
        "previews", used.path("previews").asLong());
  }
}
