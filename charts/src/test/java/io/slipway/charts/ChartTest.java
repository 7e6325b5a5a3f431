package io.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart, rendered by Helm from Java for the defaults and variants, and checked object by
 * object.
 */
class ChartTest {

  private static final List<String> SERVICES =
      List.of("tenant-service", "build-service", "runtime-bridge", "portal");
  private static final Set<String> WRITE =
      Set.of("create", "update", "patch", "delete", "deletecollection", "*");

  static Stream<Map<String, Object>> variants() {
    return Stream.of(
        Map.of(),
        Map.of("ingress.enabled", false),
        Map.of("ingress.tlsSecret", "slipway-tls", "image.tag", "1.2.3"),
        Map.of("builds.namespace", "slipway-builds", "services.portal.replicas", 3),
        Map.of("commonLabels.team", "platform", "ingress.className", "traefik"));
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = new Helm(Rendered.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyServiceRunsAsARestrictedDeploymentWithProbesLimitsServiceAndBudget(
      Map<String, Object> values) {
    Rendered chart = Rendered.with(values);
    for (String service : SERVICES) {
      String name = "slipway-" + service;
      Deployment deployment = chart.named(Deployment.class, name).orElseThrow();
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
      assertThat(container.getReadinessProbe()).as(name).isNotNull();
      assertThat(container.getLivenessProbe()).as(name).isNotNull();
      assertThat(chart.named(Service.class, name)).as(name).isPresent();
      assertThat(chart.named(PodDisruptionBudget.class, name)).as(name).isPresent();
    }
    assertThat(chart.podTemplates()).hasSize(SERVICES.size());
  }

  @Test
  void everyServiceGetsItsOwnSecretsAndNoOtherFromTheSecret() {
    Rendered chart = Rendered.with(Map.of());
    Map<String, List<String>> expected =
        Map.of(
            "portal", List.of("portal-client-secret"),
            "build-service",
                List.of(
                    "build-client-secret", "runtime-secret-key", "runtime-previous-secret-keys"),
            "runtime-bridge",
                List.of(
                    "runtime-client-secret", "runtime-secret-key", "runtime-previous-secret-keys"),
            "tenant-service", List.of());
    for (var service : expected.entrySet()) {
      Container container = chart.container(service.getKey());
      List<String> keys =
          container.getEnv().stream()
              .filter(env -> env.getValueFrom() != null)
              .map(env -> env.getValueFrom().getSecretKeyRef())
              .filter(ref -> "slipway-clients".equals(ref.getName()))
              .map(ref -> ref.getKey())
              .toList();
      assertThat(keys).as(service.getKey()).containsExactlyElementsOf(service.getValue());
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyPodPassesTheRestrictedProfileAndEveryContainerHasLimits(Map<String, Object> values) {
    for (PodTemplateSpec pod : Rendered.with(values).podTemplates()) {
      String name = pod.getMetadata().getLabels().get("app.kubernetes.io/component");
      assertThat(PodSecurity.restrictedViolations(pod.getSpec())).as(name).isEmpty();
      for (Container container : pod.getSpec().getContainers()) {
        assertThat(container.getResources().getLimits()).as(name).containsKeys("cpu", "memory");
      }
    }
  }

  @Test
  void theRestrictedCheckCatchesWhatItMust() {
    Deployment deployment =
        Rendered.with(Map.of()).named(Deployment.class, "slipway-portal").orElseThrow();
    var spec = deployment.getSpec().getTemplate().getSpec();
    spec.setHostNetwork(true);
    spec.getContainers().getFirst().getSecurityContext().setAllowPrivilegeEscalation(true);
    spec.getContainers()
        .getFirst()
        .getSecurityContext()
        .getCapabilities()
        .setAdd(List.of("SYS_ADMIN"));
    assertThat(PodSecurity.restrictedViolations(spec))
        .containsExactlyInAnyOrder(
            "host namespaces are shared",
            "container portal: allowPrivilegeEscalation is not false",
            "container portal: adds capabilities [SYS_ADMIN]");
  }

  @Test
  void buildServiceRunsBuildsAsJobsThatFetchTheirContextFromItsService() {
    Rendered chart = Rendered.with(Map.of());
    Map<String, String> config =
        chart.named(ConfigMap.class, "slipway-config").orElseThrow().getData();
    assertThat(config)
        .containsEntry("SLIPWAY_BUILD_EXECUTOR", "kubernetes")
        .containsEntry(
            "SLIPWAY_BUILD_KUBERNETES_NAMESPACE",
            chart.named(Role.class, "slipway-builds").orElseThrow().getMetadata().getNamespace());
    // start-up fails on the kubernetes executor without it: build pods fetch their context there
    assertThat(chart.container("build-service").getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("SLIPWAY_BUILD_KUBERNETES_CONTEXT_URL");
              assertThat(env.getValue())
                  .isEqualTo("http://slipway-build-service.slipway-system.svc:8080");
            });
    assertThat(
            chart.named(Service.class, "slipway-build-service").orElseThrow().getSpec().getPorts())
        .anySatisfy(port -> assertThat(port.getPort()).isEqualTo(8080));
  }

  @Test
  void rbacGrantsNoClusterWideWriteToTenantResources() {
    Rendered chart = Rendered.with(Map.of());
    Set<String> clusterWrites = new HashSet<>();
    for (ClusterRoleBinding binding : chart.all(ClusterRoleBinding.class)) {
      assertThat(binding.getRoleRef().getName()).isNotIn("cluster-admin", "admin", "edit");
      ClusterRole role =
          chart.named(ClusterRole.class, binding.getRoleRef().getName()).orElseThrow();
      for (PolicyRule rule : role.getRules()) {
        assertThat(rule.getResources()).doesNotContain("*");
        assertThat(rule.getVerbs()).doesNotContain("*");
        if (rule.getVerbs().stream().anyMatch(WRITE::contains)) {
          clusterWrites.addAll(rule.getResources());
        }
      }
    }
    // Cluster-wide, the bridge may write namespaces and role bindings, and nothing else...
    assertThat(clusterWrites).containsExactlyInAnyOrder("namespaces", "rolebindings");
    // ...and an admission policy limits both to namespaces labelled slipway.io/managed=true.
    ValidatingAdmissionPolicy policy = chart.all(ValidatingAdmissionPolicy.class).getFirst();
    assertThat(policy.getSpec().getMatchConditions().getFirst().getExpression())
        .contains("system:serviceaccount:slipway-system:slipway-runtime-bridge");
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
        .flatMap(r -> r.getResources())
        .containsExactlyInAnyOrder("namespaces", "rolebindings");
    // The workload role is bound per managed namespace by the bridge, never cluster-wide.
    assertThat(chart.all(ClusterRoleBinding.class))
        .noneMatch(b -> b.getRoleRef().getName().endsWith("tenant-workloads"));
    // build-service acts in its builds namespace only.
    Role builds = chart.named(Role.class, "slipway-builds").orElseThrow();
    assertThat(builds.getMetadata().getNamespace()).isEqualTo("slipway-system");
    // what KubernetesBuildExecutor calls there: Jobs, their pods and logs, and each Job's registry
    // Secret (create, or on a second submit read and replace); never deleting a Secret or a pod
    assertThat(builds.getRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getResources()).containsExactly("secrets");
              assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update");
            })
        .allSatisfy(
            rule ->
                assertThat(
                        rule.getResources().contains("jobs")
                            || rule.getVerbs().stream().noneMatch(verb -> verb.equals("delete")))
                    .isTrue());
  }

  @Test
  void theBridgeIsToldWhetherToUseKnativeAndMayManageKnativeServicesInManagedNamespacesOnly() {
    Rendered chart = Rendered.with(Map.of("runtime.knative", "off"));
    assertThat(chart.named(ConfigMap.class, "slipway-config").orElseThrow().getData())
        .containsEntry("SLIPWAY_RUNTIME_KUBERNETES_KNATIVE", "off");
    assertThat(
            Rendered.with(Map.of())
                .named(ConfigMap.class, "slipway-config")
                .orElseThrow()
                .getData())
        .containsEntry("SLIPWAY_RUNTIME_KUBERNETES_KNATIVE", "auto");
    ClusterRole workloads =
        chart.named(ClusterRole.class, "slipway-tenant-workloads").orElseThrow();
    assertThat(workloads.getRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("serving.knative.dev");
              assertThat(rule.getResources()).containsExactly("services");
            });
  }

  @Test
  void theBridgeMayRunKubevirtVirtualMachinesAndOnlyReadTheirInstances() {
    ClusterRole workloads =
        Rendered.with(Map.of()).named(ClusterRole.class, "slipway-tenant-workloads").orElseThrow();
    assertThat(workloads.getRules())
        .filteredOn(rule -> rule.getApiGroups().stream().anyMatch(g -> g.contains("kubevirt.io")))
        .extracting(
            rule ->
                rule.getApiGroups()
                    + " "
                    + rule.getResources()
                    + " "
                    + String.join(",", rule.getVerbs()))
        .containsExactly(
            "[kubevirt.io] [virtualmachines] get,list,watch,create,update,patch,delete",
            "[kubevirt.io] [virtualmachineinstances] get,list,watch",
            "[subresources.kubevirt.io] [virtualmachines/restart] update");
  }

  @Test
  void theIngressSendsGitAndTheApiToTheirServicesAndTheRestToThePortal() {
    Ingress ingress = Rendered.with(Map.of()).named(Ingress.class, "slipway").orElseThrow();
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    var paths = ingress.getSpec().getRules().getFirst().getHttp().getPaths();
    assertThat(paths)
        .extracting(p -> p.getPath() + " -> " + p.getBackend().getService().getName())
        .containsExactly(
            "/git -> slipway-build-service",
            "/api -> slipway-tenant-service",
            "/ -> slipway-portal");
    var apps = ingress.getSpec().getRules().get(1);
    assertThat(apps.getHost()).isEqualTo("*.apps.example.com");
    assertThat(apps.getHttp().getPaths().getFirst().getBackend().getService().getName())
        .isEqualTo("slipway-portal");
    assertThat(Rendered.with(Map.of("ingress.enabled", false)).all(Ingress.class)).isEmpty();
  }

  @Test
  void requiredValuesAreAskedForByName() {
    assertThatThrownBy(() -> Rendered.parse(new Helm(Rendered.CHART).template().call()))
        .hasMessageContaining("is required");
  }

  static Stream<Map<String, Object>> badValues() {
    return Stream.of(
        Map.of("services.portal.replicas", 0),
        Map.of("services.portal.replicas", "two"),
        Map.of("image.pullPolicy", "Sometimes"),
        Map.of("keycloak.issuerUrl", "sso.example.com"),
        Map.of("postgresql.tenantUrl", "postgres://db/slipway"),
        Map.of("ingress.className", "Not A Class"),
        Map.of("replicas", 3),
        Map.of("services.portal.resources.limits.memory", "lots"),
        Map.of("runtime.knative", "maybe"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesAreRefusedByTheSchema(Map<String, Object> values) {
    assertThatThrownBy(() -> Rendered.with(values))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }
}
