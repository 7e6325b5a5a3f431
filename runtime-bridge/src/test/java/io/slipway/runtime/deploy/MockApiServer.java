package io.slipway.runtime.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
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

  /**
   * A new mock API server, started, that answers the expectations set on it first (for calls CRUD
   * mode does not serve, as KubeVirt's subresources) and serves CRUD for the rest.
   */
  static KubernetesMockServer mixed() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    return server;
  }

  /** The bridge's settings for the kubernetes driver against it. */
  static void kubernetesDriver(DynamicPropertyRegistry registry) {
    registry.add("slipway.runtime.driver", () -> "kubernetes");
    // its images exist in no registry: admission could not resolve their digests
    registry.add("slipway.runtime.admission.enabled", () -> "false");
  }
}
