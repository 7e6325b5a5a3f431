package io.slipway.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart rendered by Helm's own template engine, parsed into fabric8 model objects. */
record Rendered(List<HasMetadata> objects) {

  static final Path CHART = Path.of("slipway");

  /** The values every install must give; the chart refuses to render without them. */
  static final Map<String, Object> REQUIRED =
      Map.of(
          "keycloak.issuerUrl", "https://sso.example.com/realms/slipway",
          "keycloak.clientSecretsSecret", "slipway-clients",
          "postgresql.tenantUrl", "jdbc:postgresql://db.example.com:5432/slipway_tenant",
          "postgresql.buildUrl", "jdbc:postgresql://db.example.com:5432/slipway_build",
          "postgresql.runtimeUrl", "jdbc:postgresql://db.example.com:5432/slipway_runtime",
          "postgresql.passwordSecret", "slipway-db",
          "registry.endpoint", "registry.example.com/slipway-apps",
          "ingress.host", "slipway.example.com",
          "ingress.appsDomain", "apps.example.com");

  /** Renders with the required values plus {@code overrides}. */
  static Rendered with(Map<String, Object> overrides) {
    return parse(yaml(overrides));
  }

  /** What {@code helm template} prints with the required values plus {@code overrides}. */
  static String yaml(Map<String, Object> overrides) {
    TemplateCommand template =
        new Helm(CHART).template().withName("slipway").withNamespace("slipway-system");
    REQUIRED.forEach(template::set);
    overrides.forEach(template::set);
    return template.call();
  }

  static Rendered parse(String yaml) {
    List<HasMetadata> objects =
        documents(yaml).stream()
            .map(doc -> (HasMetadata) Serialization.unmarshal(doc, HasMetadata.class))
            .toList();
    return new Rendered(objects);
  }

  /** The YAML documents of {@code helm template}'s output that hold an object. */
  static List<String> documents(String yaml) {
    return Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .map(String::strip)
        .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")))
        .toList();
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> Optional<T> named(Class<T> kind, String name) {
    return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  /** The container of a service's Deployment ({@code slipway-<service>}). */
  io.fabric8.kubernetes.api.model.Container container(String service) {
    return named(Deployment.class, "slipway-" + service)
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst();
  }

  /** The pod templates of every workload in the chart. */
  List<PodTemplateSpec> podTemplates() {
    return objects.stream()
        .map(
            o ->
                switch (o) {
                  case Deployment d -> d.getSpec().getTemplate();
                  case StatefulSet s -> s.getSpec().getTemplate();
                  case Job j -> j.getSpec().getTemplate();
                  default -> null;
                })
        .filter(t -> t != null)
        .toList();
  }
}
