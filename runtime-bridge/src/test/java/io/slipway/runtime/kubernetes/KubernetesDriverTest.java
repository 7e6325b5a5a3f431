package io.slipway.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.slipway.runtime.driver.RetiredImage;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.driver.RuntimeDriverContract;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.render.RestrictedProfile;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The kubernetes driver against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDriverTest extends RuntimeDriverContract {

  KubernetesClient client;

  private final ManifestRenderer renderer = new ManifestRenderer(RenderSettings.defaults());
  private KubernetesDriver driver;

  @Override
  protected RuntimeDriver driver() {
    if (driver == null) {
      driver = new KubernetesDriver(client, renderer);
    }
    return driver;
  }

  @Override
  protected RuntimeDriver restartedDriver() {
    return new KubernetesDriver(client, renderer);
  }

  @Override
  protected String image() {
    return "registry.local/acme/web:1";
  }

  @Override
  protected List<String> runtimeObjects(AppRef ref) {
    String ns = ref.namespace();
    return Stream.<List<? extends HasMetadata>>of(
            client.apps().deployments().inNamespace(ns).list().getItems(),
            client.services().inNamespace(ns).list().getItems(),
            client.network().v1().ingresses().inNamespace(ns).list().getItems(),
            client.network().v1().networkPolicies().inNamespace(ns).list().getItems())
        .flatMap(List::stream)
        .filter(o -> ref.appId().equals(o.getMetadata().getLabels().get(Labels.APP_ID)))
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .toList();
  }

  @Test
  void appliesEveryRenderedObjectAndEachPassesTheRestrictedProfile() {
    AppRef ref = newApp();
    driver().apply(spec(ref, 1, 2));

    assertThat(client.namespaces().withName(ref.namespace()).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(runtimeObjects(ref))
        .containsExactlyInAnyOrder(
            "Deployment/" + ref.appId() + "-v1",
            "Service/" + ref.appId(),
            "Ingress/" + ref.appId(),
            "NetworkPolicy/" + ref.appId() + "-allow-router");
    assertThat(
            client
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(ref.namespace())
                .withName("default-deny-ingress")
                .get())
        .isNotNull();
    List<Deployment> stored =
        client.apps().deployments().inNamespace(ref.namespace()).list().getItems();
    assertThat(RestrictedProfile.violations(stored)).isEmpty();
    assertThat(
            client
                .network()
                .v1()
                .ingresses()
                .inNamespace(ref.namespace())
                .withName(ref.appId())
                .get()
                .getSpec()
                .getRules()
                .getFirst()
                .getHost())
        .isEqualTo("web--p--" + ref.tenant() + ".apps.localhost");
  }

  @Test
  void aProjectsEgressPolicyFollowsItsSettingAcrossDeploysAndChanges() {
    java.util.Set<String> optedIn = new java.util.HashSet<>();
    KubernetesDriver withSetting =
        new KubernetesDriver(
            client,
            renderer,
            new KubernetesDriver.Context() {
              @Override
              public List<String> domains(AppRef ref) {
                return List.of();
              }

              @Override
              public java.util.Optional<io.slipway.runtime.render.ProjectQuota> quota(AppRef ref) {
                return java.util.Optional.empty();
              }

              @Override
              public boolean egress(String projectId) {
                return optedIn.contains(projectId);
              }
            });
    AppRef ref = newApp();
    withSetting.apply(spec(ref, 1, 1));
    assertThat(policies(ref))
        .containsExactlyInAnyOrder(
            "default-deny-ingress", "default-deny-egress", ref.appId() + "-allow-router");

    optedIn.add(ref.projectId());
    withSetting.egressChanged(ref.projectId());
    assertThat(policies(ref)).contains("allow-egress");
    assertThat(
            client
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(ref.namespace())
                .withName("allow-egress")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry(Labels.PROJECT_ID, ref.projectId());
    withSetting.apply(spec(ref, 2, 1));
    assertThat(policies(ref)).contains("allow-egress");

    optedIn.remove(ref.projectId());
    withSetting.egressChanged(ref.projectId());
    assertThat(policies(ref)).doesNotContain("allow-egress").contains("default-deny-egress");

    // a deploy after a change the driver missed converges too
    client
        .resource(
            renderer.allowEgress(ref.namespace(), java.util.Map.of(Labels.PROJECT_ID, "stale")))
        .create();
    withSetting.apply(spec(ref, 3, 1));
    assertThat(policies(ref)).doesNotContain("allow-egress");
  }

  private List<String> policies(AppRef ref) {
    return client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(ref.namespace())
        .list()
        .getItems()
        .stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  @Test
  void retentionRemovesNothingBecauseTheClusterPullsImagesFromTheirRegistry() {
    AppRef ref = newApp();
    String builds = "registry.local/builds/" + ref.tenantId() + "/";
    assertThat(driver().removeImage(new RetiredImage(ref, builds + "web:1", builds)))
        .isEqualTo(RetiredImage.Removal.KEPT);
  }
}
