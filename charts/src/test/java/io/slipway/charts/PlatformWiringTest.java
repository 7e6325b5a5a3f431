package io.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.slipway.testing.PlatformWiring;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart wires the services as config/platform.env does: the same services, each given its
 * database, its secrets and the base URL of every service it calls (their Services), and the URLs
 * it shows users on the Ingress host.
 */
class PlatformWiringTest {

  private static final PlatformWiring PLATFORM = PlatformWiring.platform();

  /**
   * Not set by the chart, and why: the Ingress sends {@code /api} to tenant-service, so
   * build-service's API (the base of webhook URLs) has no public address on a cluster yet.
   */
  private static final Set<String> NOT_ON_THE_INGRESS = Set.of("SLIPWAY_BUILD_PUBLIC_URL");

  private final Rendered chart = Rendered.with(Map.of());

  @Test
  void theChartRunsTheFilesServices() throws IOException {
    String values = Files.readString(Rendered.CHART.resolve("values.yaml"));
    String services = values.substring(values.indexOf("\nservices:\n"));
    Set<String> inValues = new LinkedHashSet<>();
    Pattern.compile("(?m)^  ([a-z-]+):$")
        .matcher(services)
        .results()
        .forEach(m -> inValues.add(m.group(1)));

    assertThat(inValues).containsExactlyInAnyOrderElementsOf(PLATFORM.services());
    for (String service : PLATFORM.services()) {
      assertThat(chart.named(Deployment.class, "slipway-" + service)).as(service).isPresent();
    }
  }

  @Test
  void everyServiceIsGivenTheUrlsOfTheServicesItCalls() {
    for (String service : PLATFORM.services()) {
      Map<String, String> environment = environment(service);
      for (PlatformWiring.Entry url : PLATFORM.urls(service)) {
        String target = url.target().split("/", 2)[0];
        String path = url.target().substring(target.length());
        assertThat(environment)
            .as("%s's %s", service, url.variable())
            .containsEntry(
                url.variable(), "http://slipway-" + target + ":" + servicePort(target) + path);
      }
    }
  }

  @Test
  void everyServiceIsGivenTheUrlsItShowsUsersOnTheIngressHost() {
    for (String service : PLATFORM.services()) {
      Map<String, String> environment = environment(service);
      for (PlatformWiring.Entry url : PLATFORM.publicUrls(service)) {
        String path =
            url.target().contains("/") ? url.target().substring(url.target().indexOf('/')) : "";
        if (NOT_ON_THE_INGRESS.contains(url.variable())) {
          assertThat(environment)
              .as("still not set: drop it from NOT_ON_THE_INGRESS")
              .doesNotContainKey(url.variable());
          continue;
        }
        assertThat(environment)
            .as("%s's %s", service, url.variable())
            .containsEntry(url.variable(), "http://slipway.example.com" + path);
      }
    }
  }

  @Test
  void everyServiceHasItsSecretsFromTheClientSecretsSecret() {
    for (String service : PLATFORM.services()) {
      Container container = container(service);
      List<PlatformWiring.Entry> secrets =
          java.util.stream.Stream.of(PLATFORM.clientSecret(service), PLATFORM.secretKey(service))
              .flatMap(Optional::stream)
              .toList();
      for (PlatformWiring.Entry secret : secrets) {
        EnvVar variable =
            variable(container, secret.variable())
                .orElseThrow(() -> new AssertionError(service + " has no " + secret.variable()));
        assertThat(variable.getValueFrom().getSecretKeyRef().getName())
            .isEqualTo("slipway-clients");
        assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(secret.target());
        assertThat(variable.getValueFrom().getSecretKeyRef().getOptional())
            .as("%s's %s is required", service, secret.variable())
            .isNotEqualTo(Boolean.TRUE);
      }
    }
  }

  @Test
  void previousSecretKeysComeFromTheSameSecretAndMayBeMissingFromIt() {
    for (String service : PLATFORM.services()) {
      Container container = container(service);
      Optional<PlatformWiring.Entry> previous = PLATFORM.previousSecretKeys(service);
      assertThat(
              container.getEnv().stream()
                  .anyMatch(env -> env.getName().endsWith("_PREVIOUS_SECRET_KEYS")))
          .as(service)
          .isEqualTo(previous.isPresent());
      previous.ifPresent(
          entry -> {
            var ref =
                variable(container, entry.variable())
                    .orElseThrow(() -> new AssertionError(service + " has no " + entry.variable()))
                    .getValueFrom()
                    .getSecretKeyRef();
            assertThat(ref.getName()).isEqualTo("slipway-clients");
            assertThat(ref.getKey()).isEqualTo(entry.target());
            assertThat(ref.getOptional()).as("the pod starts without it").isTrue();
          });
    }
  }

  @Test
  void everyServiceWithADatabaseIsGivenItsConnection() {
    for (String service : PLATFORM.services()) {
      Container container = container(service);
      Optional<String> prefix = PLATFORM.databaseEnv(service);
      assertThat(
              container.getEnv().stream()
                  .map(EnvVar::getName)
                  .filter(name -> name.matches("SLIPWAY_[A-Z]+_DB_URL")))
          .as("%s's database", service)
          .containsExactlyElementsOf(prefix.map(p -> List.of(p + "_URL")).orElse(List.of()));
      prefix.ifPresent(
          p -> {
            assertThat(variable(container, p + "_URL").orElseThrow().getValue())
                .isEqualTo(
                    "jdbc:postgresql://db.example.com:5432/" + PLATFORM.get(service + ".database"));
            assertThat(variable(container, p + "_USER")).isPresent();
            assertThat(
                    variable(container, p + "_PASSWORD")
                        .orElseThrow()
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("slipway-db");
          });
    }
  }

  /** The container's variables, the ConfigMap's it takes with envFrom first. */
  private Map<String, String> environment(String service) {
    Map<String, String> environment = new HashMap<>();
    Container container = container(service);
    container.getEnvFrom().stream()
        .filter(from -> from.getConfigMapRef() != null)
        .forEach(
            from ->
                environment.putAll(
                    chart
                        .named(ConfigMap.class, from.getConfigMapRef().getName())
                        .orElseThrow()
                        .getData()));
    container.getEnv().stream()
        .filter(variable -> variable.getValue() != null)
        .forEach(variable -> environment.put(variable.getName(), variable.getValue()));
    return environment;
  }

  private Container container(String service) {
    return chart.container(service);
  }

  private int servicePort(String service) {
    return chart
        .named(Service.class, "slipway-" + service)
        .orElseThrow()
        .getSpec()
        .getPorts()
        .getFirst()
        .getPort();
  }

  private static Optional<EnvVar> variable(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
  }
}
