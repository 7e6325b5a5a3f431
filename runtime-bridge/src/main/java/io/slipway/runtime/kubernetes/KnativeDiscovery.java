package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slipway.runtime.render.KnativeServiceRenderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether Knative Serving runs the apps that ask for it: as the mode says, or with {@code auto}
 * whether the API server serves {@code serving.knative.dev/v1} Services, asked through its API
 * discovery and kept for {@link #KEPT}, so installing Knative later is noticed without a restart
 * and a reconcile pass does not ask the API server again for every app.
 */
final class KnativeDiscovery {

  static final Duration KEPT = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final KnativeMode mode;
  private final Clock clock;
  private volatile Boolean served;
  private volatile Instant askedAt = Instant.MIN;

  KnativeDiscovery(KubernetesClient client, KnativeMode mode, Clock clock) {
    this.client = client;
    this.mode = mode;
    this.clock = clock;
  }

  boolean available() {
    return switch (mode) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> served();
    };
  }

  private boolean served() {
    Instant now = clock.instant();
    Boolean known = served;
    if (known != null && now.isBefore(askedAt.plus(KEPT))) {
      return known;
    }
    boolean answer;
    try {
      answer = client.supports(KnativeServiceRenderer.API_VERSION, KnativeServiceRenderer.KIND);
    } catch (KubernetesClientException e) {
      // the API server could not say: keep what was known, else run Deployments meanwhile
      answer = known != null && known;
    }
    served = answer;
    askedAt = now;
    return answer;
  }
}
