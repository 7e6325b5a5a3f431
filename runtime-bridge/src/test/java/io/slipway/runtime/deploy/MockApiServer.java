package io.slipway.runtime.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import org.springframework.test.context.DynamicPropertyRegistry;

/** fabric8's mock API server in CRUD mode, one per test class, for the bridge on Kubernetes. */
final class MockApiServer {

  private MockApiServer() {}

  /** A new mock API server, started: a client of it. */
  static KubernetesClient started() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    return server.createClient();
  }

  /** The bridge's settings for the kubernetes driver against it. */
  static void kubernetesDriver(DynamicPropertyRegistry registry) {
    registry.add("slipway.runtime.driver", () -> "kubernetes");
    // its images exist in no registry: admission could not resolve their digests
    registry.add("slipway.runtime.admission.enabled", () -> "false");
  }
}
