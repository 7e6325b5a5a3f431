package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * KubeVirt's virt-controller (and the launcher's report) as the tests play it against fabric8's
 * mock API server, which has no controllers: a thread that looks at every VirtualMachine and makes
 * its VirtualMachineInstance, Running and Ready with an address on the pod network, while its
 * {@code runStrategy} is {@code Always}; deletes it while {@code Halted} or once the VM is gone;
 * and boots a new one for each call of the {@code restart} subresource.
 */
public final class PlayedKubevirt implements AutoCloseable {

  private final KubernetesClient client;
  private final KubernetesMockServer server;
  private final Set<String> restarts = ConcurrentHashMap.newKeySet();
  private final AtomicInteger addresses = new AtomicInteger(10);
  private final AtomicInteger restartCalls = new AtomicInteger();
  private final Thread loop;
  private volatile boolean paused;

  public PlayedKubevirt(KubernetesClient client, KubernetesMockServer server) {
    this.client = client;
    this.server = server;
    this.loop = Thread.ofVirtual().start(this::run);
  }

  /**
   * Answers KubeVirt's {@code restart} subresource of the VM {@code namespace/name} (the mock API
   * server serves no subresources of custom resources) by booting a new instance on the next pass.
   */
  public void serveRestart(String namespace, String name) {
    server
        .expect()
        .put()
        .withPath(
            "/apis/subresources.kubevirt.io/v1/namespaces/"
                + namespace
                + "/virtualmachines/"
                + name
                + "/restart")
        .andReply(
            202,
            request -> {
              restarts.add(namespace + "/" + name);
              restartCalls.incrementAndGet();
              return "";
            })
        .always();
  }

  /** How often the {@code restart} subresource was called. */
  public int restartCalls() {
    return restartCalls.get();
  }

  /** Stops making and deleting instances, as a controller that is down (until {@link #resume}). */
  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (!paused) {
          pass();
        }
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the mock server closing at the end of a test
      }
    }
  }

  private void pass() {
    List<GenericKubernetesResource> vms =
        client
            .genericKubernetesResources(VirtualMachineRenderer.VMS)
            .inAnyNamespace()
            .list()
            .getItems();
    for (GenericKubernetesResource vm : vms) {
      String namespace = vm.getMetadata().getNamespace();
      String name = vm.getMetadata().getName();
      var instance = instances().inNamespace(namespace).withName(name);
      GenericKubernetesResource found = instance.get();
      boolean always = "Always".equals(spec(vm).get("runStrategy"));
      if (restarts.remove(namespace + "/" + name) && found != null) {
        instance.delete();
        found = null;
      }
      if (always && found == null) {
        instances().resource(running(vm)).create();
      } else if (!always && found != null) {
        instance.delete();
      }
    }
    for (GenericKubernetesResource instance : instances().inAnyNamespace().list().getItems()) {
      boolean owned =
          vms.stream()
              .anyMatch(
                  vm ->
                      vm.getMetadata().getNamespace().equals(instance.getMetadata().getNamespace())
                          && vm.getMetadata().getName().equals(instance.getMetadata().getName()));
      if (!owned) {
        instances().resource(instance).delete();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private GenericKubernetesResource running(GenericKubernetesResource vm) {
    Map<String, Object> template = (Map<String, Object>) spec(vm).get("template");
    Map<String, Object> metadata = (Map<String, Object>) template.get("metadata");
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(VirtualMachineRenderer.API_VERSION)
        .withKind("VirtualMachineInstance")
        .withNewMetadata()
        .withName(vm.getMetadata().getName())
        .withNamespace(vm.getMetadata().getNamespace())
        .withUid(UUID.randomUUID().toString())
        .withLabels((Map<String, String>) metadata.get("labels"))
        .endMetadata()
        .addToAdditionalProperties("spec", template.get("spec"))
        .addToAdditionalProperties(
            "status",
            Map.of(
                "phase",
                "Running",
                "conditions",
                List.of(Map.of("type", "Ready", "status", "True")),
                "interfaces",
                List.of(
                    Map.of(
                        "name",
                        "default",
                        "ipAddress",
                        "10.244.0." + addresses.incrementAndGet()))))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  private io.fabric8.kubernetes.client.dsl.MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      instances() {
    return client.genericKubernetesResources(VirtualMachineRenderer.INSTANCES);
  }

  @Override
  public void close() {
    loop.interrupt();
  }
}
