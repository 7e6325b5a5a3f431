package io.slipway.runtime.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.PodmanRunner;
import io.slipway.runtime.podman.ProcessTable;
import io.slipway.runtime.podman.TestImages;
import io.slipway.testing.ServiceProcess;
import io.slipway.testing.TestRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The pod the Kubernetes driver renders, run for real with {@code podman kube play} (no cluster
 * here): its shared process namespace makes the pod's infra container PID 1, which reaps the
 * orphans an app leaves behind. The same pod without it fills up with zombies.
 */
class RenderedPodIT {

  private static final PodmanRunner PODMAN = new PodmanRunner(Duration.ofSeconds(120));
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterAll
  static void removeImages() {
    TestImages.removeAll();
  }

  @Test
  void theRenderedPodReapsTheOrphansAnAppLeavesBehind() throws IOException {
    AppSpec spec =
        Specs.web(Specs.ref("reaper", "pods", "orphans"), 1, TestImages.orphanSpawner(), 1);
    PodSpec rendered = new DeploymentRenderer().render(spec).getSpec().getTemplate().getSpec();
    assertThat(rendered.getShareProcessNamespace()).isTrue();
    assertThat(RestrictedProfile.violations(rendered)).isEmpty();
    PodSpec unshared = new PodSpecBuilder(rendered).withShareProcessNamespace(false).build();

    String reaped = TestImages.PREFIX + "pod-" + UUID.randomUUID().toString().substring(0, 8);
    String unreaped = TestImages.PREFIX + "pod-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      play(reaped, rendered);
      play(unreaped, unshared);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ProcessTable.zombies(unreaped + "-app"), zombies -> zombies >= 100);
      await()
          .failFast(
              "zombies pile up in the app's container",
              () -> ProcessTable.zombies(reaped + "-app") > 5)
          .atMost(Duration.ofSeconds(60))
          .until(() -> ProcessTable.spawned(reaped + "-app"), n -> n >= 200);
      assertThat(ProcessTable.zombies(reaped + "-app")).isLessThanOrEqualTo(5);
      // the app container sees the pod's infra process too
      assertThat(ProcessTable.processes(reaped + "-app")).isLessThanOrEqualTo(8);
    } finally {
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", reaped));
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", unreaped));
    }
  }

  /**
   * The revision template of the Knative Service a zero-scaled app gets holds a pod that starts and
   * serves: run with the {@code PORT} Knative gives it (from the container port), it answers its
   * page inside the pod, with the restricted profile intact.
   */
  @Test
  void theKnativeServicesRevisionTemplateRunsAndServes() throws IOException {
    AppSpec spec = Specs.web(Specs.ref("serve", "less", "page"), 1, TestImages.envPage("kn"), 1);
    var service =
        new KnativeServiceRenderer()
            .render(spec, new Serving(Duration.ofMinutes(5), null, null), Optional.empty());
    PodSpec template =
        new KubernetesSerialization()
            .convertValue(service.get("spec", "template", "spec"), PodSpec.class);
    assertThat(RestrictedProfile.violations(template)).isEmpty();
    assertThat(template.getContainers().getFirst().getEnv())
        .noneMatch(e -> e.getName().equals(AppSpec.PORT_VARIABLE));
    PodSpec asKnativeRunsIt =
        new PodSpecBuilder(template)
            .editFirstContainer()
            .addNewEnv()
            .withName(AppSpec.PORT_VARIABLE)
            .withValue(Integer.toString(spec.port()))
            .endEnv()
            .endContainer()
            .build();

    String name = TestImages.PREFIX + "kn-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      play(name, asKnativeRunsIt);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  PODMAN
                      .attempt(
                          List.of(
                              "exec",
                              name + "-app",
                              "/bin/busybox",
                              "wget",
                              "-qO-",
                              "http://127.0.0.1:" + spec.port() + "/"))
                      .stdout(),
              page -> page.contains("kn hello"));
      assertThat(
              PODMAN
                  .run(List.of("inspect", "--format", "{{.Config.User}}", name + "-app"))
                  .stdout()
                  .strip())
          .startsWith(Long.toString(AppSpec.DEFAULT_USER));
    } finally {
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", name));
    }
  }

  /**
   * The pod template of an app's Deployment, with its revision's Secret, runs as a kubelet runs it:
   * it starts; its readiness probe, read from the rendered spec and sent as the kubelet sends it
   * (from the node to the pod's address; {@code podman kube play} itself ignores readiness probes),
   * passes; and the port its Service targets serves the app's page, the secret's value reaching the
   * app through the Secret. The Service selects the template's pods.
   */
  @Test
  void theDeploymentsPodStartsPassesItsReadinessProbeAndServes() throws IOException {
    AppSpec web =
        Specs.web(
            Specs.ref("deploy", "pods", "probe-" + UUID.randomUUID().toString().substring(0, 8)),
            1,
            TestImages.envPageWithOomSwitch(),
            1);
    String token = "t" + UUID.randomUUID().toString().substring(0, 8);
    AppSpec spec =
        new AppSpec(
            web.ref(),
            web.revision(),
            web.image(),
            null,
            1,
            web.port(),
            web.env(),
            web.cpuMillicores(),
            web.memoryMib(),
            web.healthPath(),
            web.runAsUser(),
            web.readOnlyRootFilesystem(),
            Map.of("TOKEN", token));
    var template = new DeploymentRenderer().render(spec).getSpec().getTemplate();
    Secret secret = new SecretRenderer().render(spec).orElseThrow();
    Service service = new ServiceRenderer().render(spec);
    assertThat(template.getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    Container app = template.getSpec().getContainers().getFirst();
    HTTPGetAction probe = app.getReadinessProbe().getHttpGet();
    int servedPort = port(app, service.getSpec().getPorts().getFirst().getTargetPort());

    String name = TestImages.PREFIX + "dp-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      secret(secret);
      play(name, template.getSpec());
      String address = podAddress(name);
      await("the rendered readiness probe passes")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  status(
                      URI.create(
                          "http://"
                              + address
                              + ":"
                              + port(app, probe.getPort())
                              + probe.getPath())),
              code -> code >= 200 && code < 400);
      assertThat(get(URI.create("http://" + address + ":" + servedPort + "/")).strip())
          .isEqualTo("hello " + token);
    } finally {
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", name));
      PODMAN.attempt(List.of("secret", "rm", secret.getMetadata().getName()));
    }
  }

  /**
   * A deploy on Kubernetes (issue 21): the rendered Deployment's pod pulls its image by digest from
   * a registry that answers no one without a login, with the login of the project's rendered pull
   * Secret, and serves. Podman has no {@code imagePullSecrets}: the Secret's {@code
   * .dockerconfigjson} is handed to {@code kube play} as its {@code --authfile}, which is what a
   * kubelet does with it. The registry takes an htpasswd login here; that build-service's pull
   * credentials reach their tenant's repositories only is {@code BuildJobPodIT}'s (build-service).
   */
  @Test
  void theDeploymentsPodPullsItsImageByDigestWithThePullSecretAndServes() throws IOException {
    AppSpec web =
        Specs.web(
            Specs.ref("pull", "pods", "digest-" + UUID.randomUUID().toString().substring(0, 8)),
            1,
            TestImages.envPage("pulled"),
            1);
    String username = "pull." + web.ref().projectId();
    String password = UUID.randomUUID().toString();
    Path dir = Files.createTempDirectory(TestImages.PREFIX + "registry");
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, username + ":" + BCrypt.hashpw(password, BCrypt.gensalt()) + "\n");
    String name = TestImages.PREFIX + "pl-" + UUID.randomUUID().toString().substring(0, 8);
    String pushed = null;
    try (TestRegistry registry =
        TestRegistry.startWithLogins(ServiceProcess.freePort(), htpasswd)) {
      String repository =
          registry.address()
              + "/"
              + web.ref().tenantId()
              + "/"
              + web.ref().projectId()
              + "/"
              + web.ref().appId();
      Path digestFile = dir.resolve("digest");
      PODMAN.run(
          List.of(
              "push",
              "--tls-verify=false",
              "--creds=" + username + ":" + password,
              "--digestfile=" + digestFile,
              web.image(),
              "docker://" + repository + ":1"));
      String digest = Files.readString(digestFile).strip();
      pushed = repository + "@" + digest;
      AppSpec spec =
          new AppSpec(
              web.ref(),
              1,
              repository + ":1",
              digest,
              1,
              web.port(),
              web.env(),
              web.cpuMillicores(),
              web.memoryMib(),
              web.healthPath(),
              web.runAsUser(),
              web.readOnlyRootFilesystem());
      var deployment =
          (io.fabric8.kubernetes.api.model.apps.Deployment)
              PullSecretRenderer.pulling(List.of(new DeploymentRenderer().render(spec))).getFirst();
      Secret pullSecret =
          new PullSecretRenderer()
              .render(
                  spec.ref(),
                  new PullSecretRenderer.PullLogin(registry.address(), username, password));
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getContainers().getFirst().getImage()).isEqualTo(pushed);
      assertThat(pod.getImagePullSecrets())
          .extracting(reference -> reference.getName())
          .containsExactly(pullSecret.getMetadata().getName());

      // without the Secret's login the registry refuses the pull
      PodmanRunner.Result anonymous = playResult(name, pod, List.of("--tls-verify=false"));
      assertThat(anonymous.succeeded()).as(anonymous.stdout() + anonymous.stderr()).isFalse();
      assertThat(anonymous.stdout() + anonymous.stderr())
          .containsAnyOf("unauthorized", "authentication required");
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", name));

      Path authfile = dir.resolve("auth.json");
      Files.write(
          authfile, Base64.getDecoder().decode(pullSecret.getData().get(".dockerconfigjson")));
      PodmanRunner.Result played =
          playResult(name, pod, List.of("--tls-verify=false", "--authfile=" + authfile));
      assertThat(played.succeeded()).as(played.stdout() + played.stderr()).isTrue();
      String address = podAddress(name);
      await("the pulled app serves")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> status(URI.create("http://" + address + ":" + web.port() + "/")),
              c -> c == 200);
      assertThat(get(URI.create("http://" + address + ":" + web.port() + "/")).strip())
          .isEqualTo("pulled hello");
    } finally {
      PODMAN.attempt(List.of("pod", "rm", "-f", "-t", "0", name));
      if (pushed != null) {
        PODMAN.attempt(List.of("rmi", "-f", pushed));
      }
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  /**
   * Makes the Secret a podman secret of its name, in the form {@code podman kube play} 4.3 reads
   * for a pod's {@code secretKeyRef}: the Secret's {@code data} as a JSON object of base64 values,
   * which is what the API server stores of a Secret written with {@code stringData}. (Podman 4.3
   * takes no Secret from the played YAML: it stores the document and then cannot read it.)
   */
  private static void secret(Secret secret) throws IOException {
    Map<String, String> data = new TreeMap<>();
    secret
        .getStringData()
        .forEach(
            (key, value) ->
                data.put(
                    key,
                    Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    Path json = Files.createTempFile(TestImages.PREFIX, ".json");
    try {
      Files.writeString(json, Serialization.asJson(data));
      PODMAN.run(List.of("secret", "create", secret.getMetadata().getName(), json.toString()));
    } finally {
      Files.delete(json);
    }
  }

  /** A port of the container by number, or by the name of one of its ports. */
  private static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(declared -> port.getStrVal().equals(declared.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()))
        .getContainerPort();
  }

  /** The pod's address on its network (its infra container's, whose namespace the pod shares). */
  private static String podAddress(String pod) {
    String infra =
        PODMAN
            .run(List.of("pod", "inspect", "--format", "{{.InfraContainerID}}", pod))
            .stdout()
            .strip();
    String address =
        PODMAN
            .run(
                List.of(
                    "inspect",
                    "--format",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                    infra))
            .stdout()
            .strip();
    assertThat(address).as("the pod's address").matches("[0-9.]+");
    return address;
  }

  private static int status(URI uri) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String get(URI uri) throws IOException {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * Plays the pod spec as pod {@code name} (its app container is {@code <name>-app}). Without its
   * container ports: Podman 4.3 publishes them on the host, where a pod's containerPort is only
   * informative on Kubernetes, and two pods would collide there.
   */
  private static void play(String name, PodSpec spec) throws IOException {
    PodmanRunner.Result played = playResult(name, spec, List.of());
    assertThat(played.succeeded()).as(played.stdout() + played.stderr()).isTrue();
  }

  /** As {@link #play}, with {@code options} for {@code kube play}, answering how it went. */
  private static PodmanRunner.Result playResult(String name, PodSpec spec, List<String> options)
      throws IOException {
    PodSpec unpublished =
        new PodSpecBuilder(spec).editFirstContainer().withPorts().endContainer().build();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withSpec(unpublished)
            .build();
    Path yaml = Files.createTempFile(TestImages.PREFIX, ".yaml");
    try {
      Files.writeString(yaml, Serialization.asYaml(pod));
      List<String> command = new java.util.ArrayList<>(List.of("kube", "play"));
      command.addAll(options);
      command.add(yaml.toString());
      return PODMAN.attempt(command);
    } finally {
      Files.delete(yaml);
    }
  }
}
