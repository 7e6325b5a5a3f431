package io.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object {@code helm template} prints, for the defaults and variants, is valid for the
 * Kubernetes 1.32 API: each is checked by the model that the official Kubernetes Java client
 * (24.0.0, Kubernetes 1.32) generates from that release's OpenAPI document, which refuses a field
 * the API does not have, a missing required field and a value of the wrong type, down to every
 * nested object. An unknown field is shown to fail once, here. Not checked this way: what only an
 * API server decides (defaulting, admission, cross-object references).
 */
class KubernetesSchemaTest {

  /** The Kubernetes release whose OpenAPI document the models come from. */
  static final String KUBERNETES = "1.32";

  private static final String MODELS = "io.kubernetes.client.openapi.models.";

  static Stream<Map<String, Object>> variants() {
    return Stream.concat(
        ChartTest.variants(),
        Stream.of(
            Map.of(
                "registry.endpoint", "registry.example.com:5000",
                "registry.tokenAuth.enabled", true,
                "registry.tokenAuth.credentialsSecret", "slipway-registry")));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyRenderedObjectIsValidForTheKubernetesApi(Map<String, Object> values) {
    List<String> documents = Rendered.documents(Rendered.yaml(values));
    assertThat(documents).hasSizeGreaterThan(10);
    List<String> invalid = new ArrayList<>();
    for (String document : documents) {
      problem(json(document)).ifPresent(invalid::add);
    }
    assertThat(invalid).as("objects the Kubernetes %s API refuses", KUBERNETES).isEmpty();
  }

  @Test
  void aFieldTheApiDoesNotHaveIsRefused() {
    JsonObject deployment =
        Rendered.documents(Rendered.yaml(Map.of())).stream()
            .map(KubernetesSchemaTest::json)
            .filter(o -> o.get("kind").getAsString().equals("Deployment"))
            .findFirst()
            .orElseThrow();
    assertThat(problem(deployment)).isEmpty();
    deployment
        .getAsJsonObject("spec")
        .getAsJsonObject("template")
        .getAsJsonObject("spec")
        .getAsJsonArray("containers")
        .get(0)
        .getAsJsonObject()
        .addProperty("imagePullPolicyy", "Always");

    assertThat(problem(deployment))
        .hasValueSatisfying(
            problem -> assertThat(problem).contains("imagePullPolicyy").contains("V1Container"));
  }

  /**
   * Why the API refuses the object, with its kind and name; empty when it is valid. The model is
   * chosen by the object's API version and kind: {@code apps/v1} {@code Deployment} is {@code
   * V1Deployment}, {@code policy/v1beta1} {@code X} would be {@code V1beta1X}.
   */
  static Optional<String> problem(JsonObject object) {
    String apiVersion = object.get("apiVersion").getAsString();
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String kind = object.get("kind").getAsString();
    String name = kind + "/" + object.getAsJsonObject("metadata").get("name").getAsString();
    String model = "V" + version.substring(1) + kind;
    try {
      Class.forName(MODELS + model)
          .getMethod("validateJsonElement", JsonElement.class)
          .invoke(null, object);
      return Optional.empty();
    } catch (ClassNotFoundException e) {
      return Optional.of(
          name + ": Kubernetes " + KUBERNETES + " has no " + apiVersion + " " + kind);
    } catch (InvocationTargetException e) {
      return Optional.of(name + ": " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject json(String yaml) {
    return JsonParser.parseString(Serialization.asJson(Serialization.unmarshal(yaml, Map.class)))
        .getAsJsonObject();
  }
}
