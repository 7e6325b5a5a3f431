package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.testing.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 17: an image a tenant deploys from a registry is pulled into the host's store by the podman
 * driver, and goes when the last app that runs it is deleted, not before: a second tenant running
 * the same image keeps it when the first tenant is deleted. The registry is Debian's {@code
 * docker-registry} on a loopback port, over HTTPS with a certificate of the test's own, which
 * podman and skopeo trust through {@code SSL_CERT_FILE} (set for the integration tests in the pom).
 */
class PulledImagesApiIT extends ApiFixture {

  private static TestRegistry registry;

  @Autowired CatalogEventConsumer consumer;

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aPulledImageStaysWhileAnotherTenantRunsItAndGoesWithTheLastOne() throws Exception {
    String pushed = pushToRegistry(TestImages.httpd("pulled-" + suffix, "pulled\n"));
    String alice = aliceWithApp();
    String other = tenant + "b";
    String bob = user("bob");
    try {
      tenantWithApp(bob, other);
      // no port, as build-service deploys: the driver pulls the image to read its EXPOSE first
      String deployBody = "{\"image\":\"" + pushed + "\",\"memoryMib\":32}";
      String digest = bridge(alice, "POST", app, deployBody, 201).path("digest").asString();
      assertThat(digest).startsWith("sha256:");
      String pinned = pushed.substring(0, pushed.lastIndexOf(':')) + "@" + digest;
      assertThat(imageExists(pinned)).as("pulled by the driver").isTrue();
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body()).isEqualTo("pulled\n");
      bridge(bob, "POST", deployments(other), deployBody, 201);

      tenantService(alice, "DELETE", "/api/v1/tenants/" + tenant, null, 204);
      consumer.catchUp();

      assertThat(containers()).isEmpty();
      assertThat(imageExists(pinned)).as("still run by the other tenant").isTrue();
      assertThat(HostRequest.get(CADDY.httpPort(), host(other), "/").body()).isEqualTo("pulled\n");

      tenantService(bob, "DELETE", "/api/v1/tenants/" + other, null, 204);
      consumer.catchUp();

      assertThat(imageExists(pinned)).as("nothing runs it any more").isFalse();
      assertThat(imageRepositories())
          .doesNotContain(pushed.substring(0, pushed.lastIndexOf(':')))
          .doesNotContain(TestImages.PREFIX + "pulled")
          .doesNotContain(TestImages.PREFIX + "images/");
    } finally {
      forgetTenant();
      driver.apps().stream().filter(a -> a.tenant().equals(other)).forEach(driver::removeApp);
      router.routed().stream().filter(a -> a.tenant().equals(other)).forEach(router::unroute);
    }
  }

  private void tenantWithApp(String token, String name) throws Exception {
    tenantWithSite(token, name);
    tenantService(
        token,
        "PUT",
        "/api/v1/tenants/" + name + "/projects/web/quota",
        "{\"cpuMillicores\":1000}",
        200);
  }

  private static String deployments(String tenant) {
    return "/api/v1/tenants/" + tenant + "/projects/web/apps/site/deployments";
  }

  private static String host(String tenant) {
    return "site--web--" + tenant + ".apps.localhost";
  }

  private static boolean imageExists(String reference) {
    return PODMAN.attempt(List.of("image", "exists", reference)).succeeded();
  }

  /**
   * Copies a local test image to the test registry under a name of its own and deletes the local
   * copy, so that only a pull brings it back; returns the registry's name of it.
   */
  private String pushToRegistry(String local) {
    String remote = registry().address() + "/slwtest/httpd-" + suffix + ":1";
    PODMAN.run(List.of("push", local, remote));
    PODMAN.run(List.of("rmi", "-f", local));
    return remote;
  }

  private static synchronized TestRegistry registry() {
    if (registry == null) {
      String trusted = System.getenv("SSL_CERT_FILE");
      assertThat(trusted).as("SSL_CERT_FILE, set by the pom for failsafe").isNotBlank();
      registry = TestRegistry.startTls(freePort(), Path.of(trusted));
    }
    return registry;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
