package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.vm.VmConsole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The serial consoles of VMs on KubeVirt: each VM's instance's {@code console} subresource, a
 * WebSocket of subprotocol {@link #PROTOCOL} carrying the guest's bytes as they are, opened through
 * the fabric8 client's own HTTP client (with its credentials), one per VM shared by its sessions
 * ({@link VmConsole}): as QEMU's socket on podman, KubeVirt serves one console connection at a
 * time.
 */
final class KubevirtConsoles {

  /** The WebSocket subprotocol of KubeVirt's serial console: the guest's bytes as they are. */
  static final String PROTOCOL = "plain.kubevirt.io";

  /** How long KubeVirt's console subresource has to answer. */
  private static final Duration CONNECT = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final String protocol;

  /** The open console connection of each VM that has console sessions, by app id. */
  private final ConcurrentMap<String, VmConsole> consoles = new ConcurrentHashMap<>();

  KubevirtConsoles(KubernetesClient client, String protocol) {
    this.client = client;
    this.protocol = protocol;
  }

  /**
   * Attaches a session to the VM's serial console: KubeVirt's {@code console} subresource of its
   * instance, a WebSocket of subprotocol {@code plain.kubevirt.io} carrying the raw bytes, one per
   * VM shared by its sessions (as QEMU's socket on podman, KubeVirt serves one console connection
   * at a time).
   *
   * @throws UncheckedIOException when the instance does not run or its console does not answer
   */
  VmConsole.Session attach(AppRef ref, VmConsole.Listener listener, boolean mayType) {
    // a connection that ends (the VM stopped) between being found and attached to is replaced once
    for (int attempt = 0; attempt < 2; attempt++) {
      VmConsole console =
          consoles.computeIfAbsent(
              ref.appId(), id -> openConsole(ref, closed -> consoles.remove(id, closed)));
      Optional<VmConsole.Session> session = console.attach(listener, mayType);
      if (session.isPresent()) {
        return session.get();
      }
      consoles.remove(ref.appId(), console);
    }
    throw new UncheckedIOException(
        new IOException("the console of VM " + ref + " closed as it was opened: the VM stopped"));
  }

  private VmConsole openConsole(AppRef ref, java.util.function.Consumer<VmConsole> onClosed) {
    GenericKubernetesResource instance =
        client
            .genericKubernetesResources(VirtualMachineRenderer.INSTANCES)
            .inNamespace(ref.namespace())
            .withName(VirtualMachineRenderer.name(ref))
            .get();
    if (instance == null || !KubevirtVms.running(instance)) {
      throw new UncheckedIOException(
          new IOException("VM " + ref + " has no running instance whose console could be opened"));
    }
    String path =
        "apis/subresources.kubevirt.io/v1/namespaces/"
            + ref.namespace()
            + "/virtualmachineinstances/"
            + VirtualMachineRenderer.name(ref)
            + "/console";
    CompletableFuture<WebSocket> socket = new CompletableFuture<>();
    VmConsole console =
        VmConsole.over(
            new VmConsole.Link() {
              @Override
              public void send(ByteBuffer bytes) throws IOException {
                if (!socket.getNow(null).send(bytes)) {
                  throw new IOException("the console's WebSocket is closed");
                }
              }

              @Override
              public void close() {
                socket.thenAccept(open -> open.sendClose(1000, "no session left"));
              }
            },
            onClosed);
    try {
      socket.complete(
          client
              .getHttpClient()
              .newWebSocketBuilder()
              .uri(WebSocket.toWebSocketUri(URI.create(KubevirtVms.url(client, path))))
              .subprotocol(protocol)
              .buildAsync(new ConsoleFeed(console))
              .get(CONNECT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      throw new UncheckedIOException(
          new IOException("cannot open the console of VM " + ref + ": " + e.getMessage(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new IOException("interrupted opening the console of VM " + ref, e));
    }
    return console;
  }

  /** What KubeVirt's console WebSocket brings, fed to the VM's console. */
  private record ConsoleFeed(VmConsole console) implements WebSocket.Listener {

    @Override
    public void onOpen(WebSocket socket) {
      socket.request();
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer bytes) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.get(copy);
      console.received(copy);
      socket.request();
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
      console.received(text.getBytes(StandardCharsets.UTF_8));
      socket.request();
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
      console.ended();
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      console.ended();
    }
  }
}
