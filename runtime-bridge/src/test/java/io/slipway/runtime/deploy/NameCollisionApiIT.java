package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 17, through the real API on podman and Caddy: tenant {@code acme}/project {@code web-prod}
 * and tenant {@code acme-web}/project {@code prod} once shared a network and container names, and
 * app {@code web} of project {@code p} of tenant {@code prod-acme} and app {@code web-p} of project
 * {@code prod} of tenant {@code acme} once shared a host. Deployed at once, each runs on its own
 * network with its own containers and answers at its own host.
 */
class NameCollisionApiIT extends ApiFixture {

  @Autowired CatalogEventConsumer consumer;

  private record Deployed(String tenant, String project, String app, String content) {
    String path() {
      return "/api/v1/tenants/" + tenant + "/projects/" + project + "/apps/" + app;
    }
  }

  @Test
  void appsWhoseNamesOnceCollidedShareNothing() throws Exception {
    String alice = user("alice");
    String acme = tenant;
    List<Deployed> apps =
        List.of(
            new Deployed(acme, "web-prod", "api", "first"),
            new Deployed(acme + "-web", "prod", "api", "second"),
            new Deployed("prod-" + acme, "p", "web", "third"),
            new Deployed(acme, "prod", "web-p", "fourth"));
    List<String> tenantNames = apps.stream().map(Deployed::tenant).distinct().toList();
    try {
      for (String name : tenantNames) {
        tenantService(alice, "POST", "/api/v1/tenants", "{\"name\":\"" + name + "\"}", 201);
      }
      List<AppRef> refs = new ArrayList<>();
      for (Deployed app : apps) {
        String projects = "/api/v1/tenants/" + app.tenant() + "/projects";
        if (!call(tenantServiceUrl(), alice, "GET", projects, null, 200)
            .contains("\"name\":\"" + app.project() + "\"")) {
          tenantService(alice, "POST", projects, "{\"name\":\"" + app.project() + "\"}", 201);
        }
        tenantService(
            alice,
            "POST",
            projects + "/" + app.project() + "/apps",
            "{\"name\":\"" + app.app() + "\",\"source\":\"image\",\"sourceRef\":\"x\"}",
            201);
        bridge(
            alice,
            "POST",
            app.path() + "/deployments",
            deployment(TestImages.httpd("api-" + app.content(), app.content() + "\n"), 1, null),
            201);
        refs.add(tenants.requireAccess(app.tenant(), app.project(), app.app(), alice, false));
      }

      // every app answers at its own host with its own content
      for (int i = 0; i < apps.size(); i++) {
        String host = refs.get(i).hostLabel() + ".apps.localhost";
        assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
            .as(host)
            .isEqualTo(apps.get(i).content() + "\n");
      }
      assertThat(refs.stream().map(AppRef::hostLabel)).doesNotHaveDuplicates();
      // own containers, own networks (one per project), own routes
      List<String> containers =
          refs.stream()
              .flatMap(
                  ref -> names("ps", "-a", "--format", "{{.Names}}", "--filter", appLabel(ref)))
              .toList();
      assertThat(containers).hasSize(apps.size()).doesNotHaveDuplicates();
      List<String> networks =
          refs.stream()
              .flatMap(
                  ref ->
                      names(
                          "network",
                          "ls",
                          "--format",
                          "{{.Name}}",
                          "--filter",
                          "label=slipway.io/project-id=" + ref.projectId()))
              .toList();
      assertThat(networks).hasSize(apps.size()).doesNotHaveDuplicates();
      assertThat(router.routed()).containsAll(refs);
      assertThat(refs.stream().map(AppRef::namespace)).doesNotHaveDuplicates();
    } finally {
      for (String name : tenantNames) {
        call(tenantServiceUrl(), alice, "DELETE", "/api/v1/tenants/" + name, null, 204);
      }
      consumer.catchUp();
    }
  }

  private static String appLabel(AppRef ref) {
    return "label=slipway.io/app-id=" + ref.appId();
  }

  /** The lines podman prints: here, the names of what it lists. */
  private static Stream<String> names(String... arguments) {
    return PODMAN.run(List.of(arguments)).stdout().lines().filter(line -> !line.isBlank());
  }
}
