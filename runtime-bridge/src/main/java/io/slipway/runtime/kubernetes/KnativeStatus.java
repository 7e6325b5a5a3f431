package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.slipway.runtime.render.Labels;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Knative Serving reports of an app's Knative Service.
 *
 * @param revision the bridge's revision its template holds now, when it names one
 * @param ready its Ready condition: {@code True}, {@code False}, or {@code Unknown} while Knative
 *     works on it (also before Knative has looked at it at all)
 * @param reason why it is not ready, as Knative names it (e.g. {@code RevisionFailed}); null when
 *     ready or not said
 * @param message Knative's words for it (e.g. the failed revision's container error); null when not
 *     said
 * @param url where Knative answers for it (a cluster-local URL: the platform's Ingress is the way
 *     in); null until Knative has routed it
 * @param latestReadyRevision the name of its latest revision that got ready; null before one did
 */
public record KnativeStatus(
    Optional<Integer> revision,
    String ready,
    String reason,
    String message,
    String url,
    String latestReadyRevision) {

  /** Whether its Ready condition is False: the message says why. */
  public boolean failed() {
    return "False".equals(ready);
  }

  @SuppressWarnings("unchecked")
  static KnativeStatus of(GenericKubernetesResource service) {
    Map<String, Object> status =
        service.getAdditionalProperties().get("status") instanceof Map<?, ?> m
            ? (Map<String, Object>) m
            : Map.of();
    Map<String, Object> readyCondition =
        status.get("conditions") instanceof List<?> conditions
            ? conditions.stream()
                .filter(Map.class::isInstance)
                .map(c -> (Map<String, Object>) c)
                .filter(c -> "Ready".equals(c.get("type")))
                .findFirst()
                .orElse(Map.of())
            : Map.of();
    return new KnativeStatus(
        revision(service),
        text(readyCondition.get("status")) == null ? "Unknown" : text(readyCondition.get("status")),
        text(readyCondition.get("reason")),
        text(readyCondition.get("message")),
        text(status.get("url")),
        text(status.get("latestReadyRevisionName")));
  }

  private static Optional<Integer> revision(GenericKubernetesResource service) {
    try {
      Map<String, String> labels = service.get("spec", "template", "metadata", "labels");
      return Optional.ofNullable(labels).map(l -> l.get(Labels.REVISION)).map(Integer::valueOf);
    } catch (ClassCastException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String text(Object value) {
    return value instanceof String s ? s : null;
  }
}
