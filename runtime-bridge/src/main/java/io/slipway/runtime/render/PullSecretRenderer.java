package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.slipway.runtime.model.AppRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The project's image pull Secret ({@value #NAME}, type {@code kubernetes.io/dockerconfigjson}) and
 * the pods that name it in {@code imagePullSecrets}. One per project namespace, labelled with the
 * project's ids and never an app's, so removing an app leaves it and removing the project takes it.
 * It holds the project's own pull credential from build-service, which may pull its tenant's
 * repositories and push none: another tenant's credential never lands here.
 */
public final class PullSecretRenderer {

  /** The Secret's name in every project namespace. */
  public static final String NAME = "slipway-registry-pull";

  public static final String TYPE = "kubernetes.io/dockerconfigjson";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How the project's pods log in to the registry. */
  public record PullLogin(String registry, String username, String password) {}

  /** The Secret holding {@code login} for the namespace of {@code ref}'s project. */
  public Secret render(AppRef ref, PullLogin login) {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
    String config =
        JSON.writeValueAsString(
            Map.of(
                "auths",
                Map.of(
                    login.registry(),
                    Map.of(
                        "username",
                        login.username(),
                        "password",
                        login.password(),
                        "auth",
                        auth))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(ref.namespace())
        .withLabels(Labels.project(ref))
        .endMetadata()
        .withType(TYPE)
        .withData(
            Map.of(
                ".dockerconfigjson",
                Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /**
   * {@code objects} with the pods of every Deployment and Knative Service naming the pull Secret;
   * other objects as they are.
   */
  public static List<HasMetadata> pulling(List<HasMetadata> objects) {
    return objects.stream().map(PullSecretRenderer::pulling).toList();
  }

  private static HasMetadata pulling(HasMetadata object) {
    if (object instanceof GenericKubernetesResource knative) {
      return pulling(knative);
    }
    if (!(object instanceof Deployment deployment)) {
      return object;
    }
    return new DeploymentBuilder(deployment)
        .editSpec()
        .editTemplate()
        .editSpec()
        .withImagePullSecrets(new LocalObjectReference(NAME))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A Knative Service's revision template, which {@link KnativeServiceRenderer} renders. */
  private static GenericKubernetesResource pulling(GenericKubernetesResource knative) {
    Map<String, Object> spec = copy(knative.getAdditionalProperties().get("spec"));
    Map<String, Object> template = copy(spec.get("template"));
    Map<String, Object> pod = copy(template.get("spec"));
    pod.put("imagePullSecrets", List.of(Map.of("name", NAME)));
    template.put("spec", pod);
    spec.put("template", template);
    return new GenericKubernetesResourceBuilder(knative)
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Object map) {
    return new LinkedHashMap<>((Map<String, Object>) map);
  }
}
