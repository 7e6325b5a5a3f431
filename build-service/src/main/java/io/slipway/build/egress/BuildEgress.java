package io.slipway.build.egress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Builds' egress: each tenant with a build running has its own {@link EgressProxy} on a unix socket
 * in its sandbox directory, open while any of its builds runs. A refusal is written to the log of
 * every build the tenant has running (its proxy cannot tell two of its own builds apart).
 */
@Component
public class BuildEgress {

  /**
   * A build's use of its tenant's proxy; closing it ends the proxy with the tenant's last build.
   */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private record Open(EgressProxy proxy, List<Consumer<String>> logs) {}

  private final EgressProperties properties;
  private final BuildEgressSettings settings;
  private final EgressPolicy policy;
  private final Map<String, Open> open = new HashMap<>();

  BuildEgress(EgressProperties properties, BuildEgressSettings settings) {
    this.properties = properties;
    this.settings = settings;
    HostNetworks host = new HostNetworks();
    this.policy = new EgressPolicy(properties.allowed(), host::addresses, host::networks);
  }

  /** Whether the tenant's builds may reach package registries now. */
  public boolean enabled(String tenantId) {
    return settings.enabled(tenantId);
  }

  /** The ports builds may connect to, for the build's log. */
  public List<Integer> ports() {
    return properties.ports();
  }

  /**
   * Opens the tenant's proxy on {@code socket} if it is not open yet, with {@code log} among the
   * logs its refusals go to.
   *
   * @param ownerUid the host uid of root in the tenant's sandbox, the one uid that may connect
   */
  public synchronized Lease open(String tenantId, Path socket, long ownerUid, Consumer<String> log)
      throws IOException {
    Open tenant = open.get(tenantId);
    if (tenant == null) {
      List<Consumer<String>> logs = new CopyOnWriteArrayList<>();
      EgressProxy proxy =
          new EgressProxy(
              socket,
              policy::refusal,
              properties,
              () -> settings.enabled(tenantId),
              "a tenant admin can turn it on with PUT /api/v1/tenants/<tenant>/build-egress"
                  + " {\"enabled\": true}",
              line -> logs.forEach(each -> each.accept(line)),
              InetAddress::getAllByName);
      proxy.start(ownerUid);
      tenant = new Open(proxy, logs);
      open.put(tenantId, tenant);
    }
    tenant.logs().add(log);
    Open leased = tenant;
    return () -> release(tenantId, leased, log);
  }

  private synchronized void release(String tenantId, Open tenant, Consumer<String> log) {
    tenant.logs().remove(log);
    if (tenant.logs().isEmpty() && open.get(tenantId) == tenant) {
      open.remove(tenantId);
      try {
        tenant.proxy().close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
