package io.slipway.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.render.KnativeServiceRenderer;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.ProjectQuota;
import io.slipway.runtime.render.PullSecretRenderer;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.render.Serving;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deploys on Kubernetes pull by digest with their project's pull Secret (issue 21), against
 * fabric8's mock API server in CRUD mode: the Secret's type and content, the Deployment's image and
 * {@code imagePullSecrets}, one credential per project kept across deploys, never another tenant's,
 * gone with the project and not with an app.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPullSecretTest {

  private static final String REGISTRY = "registry.example.com:5000";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  KubernetesClient client;

  private final ManifestRenderer renderer = new ManifestRenderer(RenderSettings.defaults());

  /** The logins build-service issued, in order: one per project the driver asked for. */
  private final List<AppRef> issued = new ArrayList<>();

  /** A driver whose build-service issues each project a login naming its own tenant's id. */
  private KubernetesDriver driver() {
    return new KubernetesDriver(
        client,
        renderer,
        new KubernetesDriver.Context() {
          @Override
          public List<String> domains(AppRef ref) {
            return List.of();
          }

          @Override
          public Optional<ProjectQuota> quota(AppRef ref) {
            return Optional.empty();
          }

          @Override
          public Optional<PullSecretRenderer.PullLogin> pullLogin(AppRef ref) {
            issued.add(ref);
            return Optional.of(
                new PullSecretRenderer.PullLogin(
                    REGISTRY,
                    "pull." + ref.projectId(),
                    ref.tenantId() + "-secret-" + issued.size()));
          }
        });
  }

  @Test
  void theDeploymentPullsItsImageByDigestWithTheProjectsPullSecret() throws Exception {
    AppRef ref = Specs.ref("pulls", "p", "web");
    KubernetesDriver driver = driver();
    driver.apply(built(ref, 1));

    Secret secret = pullSecret(ref);
    assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(Labels.TENANT_ID, ref.tenantId())
        .containsEntry(Labels.PROJECT_ID, ref.projectId())
        .doesNotContainKey(Labels.APP_ID);
    JsonNode login = dockerConfig(secret).path("auths").path(REGISTRY);
    assertThat(login.path("username").asString()).isEqualTo("pull." + ref.projectId());
    assertThat(login.path("password").asString()).isEqualTo(ref.tenantId() + "-secret-1");
    assertThat(
            new String(
                Base64.getDecoder().decode(login.path("auth").asString()), StandardCharsets.UTF_8))
        .isEqualTo("pull." + ref.projectId() + ":" + ref.tenantId() + "-secret-1");
    assertThat(dockerConfig(secret).path("auths").size()).isEqualTo(1);

    var pod = deployment(ref, 1).getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().getFirst().getImage())
        .isEqualTo(
            REGISTRY
                + "/"
                + ref.tenantId()
                + "/"
                + ref.projectId()
                + "/"
                + ref.appId()
                + "@"
                + DIGEST);
    assertThat(pod.getImagePullSecrets())
        .containsExactly(new LocalObjectReference(PullSecretRenderer.NAME));

    // later deploys, and other apps of the project, keep the project's one credential: a pod
    // being rescheduled meanwhile never meets a replaced password
    driver.apply(built(ref, 2));
    AppRef sibling = Specs.ref("pulls", "p", "api");
    driver.apply(built(sibling, 1));
    assertThat(issued).containsExactly(ref);
    assertThat(
            dockerConfig(pullSecret(ref)).path("auths").path(REGISTRY).path("password").asString())
        .isEqualTo(ref.tenantId() + "-secret-1");
    assertThat(deployment(sibling, 1).getSpec().getTemplate().getSpec().getImagePullSecrets())
        .containsExactly(new LocalObjectReference(PullSecretRenderer.NAME));

    // deleting the Secret rotates: the next deploy has a new credential issued
    client.secrets().inNamespace(ref.namespace()).withName(PullSecretRenderer.NAME).delete();
    driver.apply(built(ref, 3));
    assertThat(issued).containsExactly(ref, ref);
    assertThat(
            dockerConfig(pullSecret(ref)).path("auths").path(REGISTRY).path("password").asString())
        .isEqualTo(ref.tenantId() + "-secret-2");
  }

  @Test
  void eachTenantsNamespaceHoldsItsOwnTenantsCredentialOnly() throws Exception {
    // the attacker names its tenant, project and app as the victim's; only ids place objects
    AppRef victim = Specs.ref("victim", "shop", "web");
    AppRef attacker = Specs.ref("attacker", "shop", "web");
    KubernetesDriver driver = driver();
    driver.apply(built(victim, 1));
    driver.apply(built(attacker, 1));

    assertThat(issued).containsExactly(victim, attacker);
    assertThat(victim.namespace()).isNotEqualTo(attacker.namespace());
    for (AppRef ref : List.of(victim, attacker)) {
      assertThat(
              dockerConfig(pullSecret(ref))
                  .path("auths")
                  .path(REGISTRY)
                  .path("password")
                  .asString())
          .as("the Secret in %s", ref.namespace())
          .startsWith(ref.tenantId() + "-secret-");
      assertThat(
              client.secrets().inNamespace(ref.namespace()).list().getItems().stream()
                  .filter(s -> PullSecretRenderer.TYPE.equals(s.getType())))
          .hasSize(1);
    }
  }

  @Test
  void removingAnAppKeepsTheProjectsPullSecretRemovingTheProjectTakesIt() {
    AppRef web = Specs.ref("removes", "p", "web");
    AppRef api = Specs.ref("removes", "p", "api");
    KubernetesDriver driver = driver();
    driver.apply(built(web, 1));
    driver.apply(built(api, 1));

    driver.removeApp(web);
    assertThat(
            client.secrets().inNamespace(api.namespace()).withName(PullSecretRenderer.NAME).get())
        .isNotNull();
    driver.removeProject(api.projectId());
    assertThat(
            client.secrets().inNamespace(api.namespace()).withName(PullSecretRenderer.NAME).get())
        .isNull();
  }

  @Test
  void withoutARegistryLoginThereIsNoSecretAndNoPodNamesOne() {
    AppRef ref = Specs.ref("anonymous", "p", "web");
    new KubernetesDriver(client, renderer).apply(built(ref, 1));

    assertThat(
            client.secrets().inNamespace(ref.namespace()).withName(PullSecretRenderer.NAME).get())
        .isNull();
    assertThat(deployment(ref, 1).getSpec().getTemplate().getSpec().getImagePullSecrets())
        .isEmpty();
  }

  @Test
  void aKnativeRevisionTemplateNamesThePullSecretToo() {
    AppSpec spec = built(Specs.ref("knative", "p", "web"), 1);
    GenericKubernetesResource service =
        new KnativeServiceRenderer().render(spec, Serving.NONE, Optional.empty());

    GenericKubernetesResource pulling =
        (GenericKubernetesResource) PullSecretRenderer.pulling(List.of(service)).getFirst();
    JsonNode pod = JSON.valueToTree(pulling.getAdditionalProperties()).at("/spec/template/spec");
    assertThat(pod.path("imagePullSecrets").get(0).path("name").asString())
        .isEqualTo(PullSecretRenderer.NAME);
    assertThat(pod.path("containers").get(0).path("image").asString()).endsWith("@" + DIGEST);
  }

  /** What build-service hands on: the image it pushed, by its tag and the digest it recorded. */
  private static AppSpec built(AppRef ref, int revision) {
    return new AppSpec(
        ref,
        revision,
        REGISTRY + "/" + ref.tenantId() + "/" + ref.projectId() + "/" + ref.appId() + ":c0ffee",
        DIGEST,
        1,
        8080,
        Map.of(),
        250,
        64,
        "/",
        AppSpec.DEFAULT_USER,
        true);
  }

  private Secret pullSecret(AppRef ref) {
    Secret secret =
        client.secrets().inNamespace(ref.namespace()).withName(PullSecretRenderer.NAME).get();
    assertThat(secret).as("the pull Secret in %s", ref.namespace()).isNotNull();
    return secret;
  }

  private Deployment deployment(AppRef ref, int revision) {
    return client
        .apps()
        .deployments()
        .inNamespace(ref.namespace())
        .withName(ref.appId() + "-v" + revision)
        .get();
  }

  private static JsonNode dockerConfig(Secret secret) {
    return JSON.readTree(Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")));
  }
}
