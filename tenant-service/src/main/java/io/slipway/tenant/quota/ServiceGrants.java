package io.slipway.tenant.quota;

import io.slipway.kit.problem.Problem;
import io.slipway.tenant.access.Actor;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who may touch the reservation ledger, and what each Slipway service may reserve: only what its
 * own work consumes. build-service runs builds and stores repositories and images; runtime-bridge
 * runs containers and VMs and keeps functions' activations and VMs' disks. A stolen service
 * credential can therefore not be used to spend the other kind of quota, and services release only
 * what they reserved themselves. runtime-bridge measures storage (its VMs' disks, on its host) but
 * never reserves it, and under one key alone, {@link #VM_DISKS}: it can never take a key of
 * build-service's stores before build-service measured it (a measurement's key is kept by the
 * service that made it), and what it reports only adds to the tenant's usage, as build-service's
 * measurements do.
 *
 * <p>Tenant users (any role, by sign-in or personal access token) never reserve, read or release
 * reservations: quota is freed only by the service that counts it, when the thing it counts really
 * stops or is deleted. Platform admins may, to repair a ledger a lost service left behind.
 */
final class ServiceGrants {

  private static final Map<String, Set<Resource>> GRANTS =
      Map.of(
          "build-service",
          EnumSet.of(Resource.CONCURRENT_BUILDS, Resource.BUILD_MINUTES, Resource.STORAGE_MIB),
          "runtime-bridge",
          EnumSet.of(
              Resource.CPU_MILLICORES,
              Resource.MEMORY_MIB,
              Resource.REPLICAS,
              Resource.ACTIVATIONS));

  /** The measurement key of runtime-bridge's VM disks: its only storage. */
  static final String VM_DISKS = "vm-disks";

  private ServiceGrants() {}

  /** Refuses everyone but Slipway's services and platform admins. */
  static void requireLedgerAccess(Actor actor) {
    if (!actor.service() && !actor.platformAdmin()) {
      throw Problem.forbidden(
          "Only Slipway's services hold quota reservations; quota is freed by stopping or deleting"
              + " what uses it");
    }
  }

  /** Refuses a service's reservation that holds any resource outside its grant. */
  static void checkReservation(Actor actor, Resources amounts) {
    if (!actor.service()) {
      return;
    }
    Set<Resource> granted = GRANTS.getOrDefault(actor.name(), Set.of());
    for (Resource resource : Resource.values()) {
      if (amounts.getOrZero(resource) > 0 && !granted.contains(resource)) {
        throw Problem.forbidden("Service '" + actor.name() + "' may not reserve " + resource.field);
      }
    }
  }

  /**
   * Refuses a service's measurement that names (even at 0) a resource outside its grant: only
   * build-service reports storage (and runtime-bridge its VMs' disks under {@link #VM_DISKS}), only
   * runtime-bridge activations.
   */
  static void checkMeasurement(Actor actor, String key, Resources measured) {
    if (!actor.service()) {
      return;
    }
    Set<Resource> granted = GRANTS.getOrDefault(actor.name(), Set.of());
    for (Resource resource : Resource.values()) {
      boolean vmDisks =
          resource == Resource.STORAGE_MIB
              && actor.name().equals("runtime-bridge")
              && key.equals(VM_DISKS);
      if (measured.get(resource) != null && !granted.contains(resource) && !vmDisks) {
        throw Problem.forbidden("Service '" + actor.name() + "' may not report " + resource.field);
      }
    }
  }

  /** Refuses a service's release of a reservation another caller made. */
  static void checkRelease(Actor actor, String createdBy) {
    if (actor.service() && !actor.name().equals(createdBy)) {
      throw Problem.forbidden(
          "Service '" + actor.name() + "' may release only the reservations it made");
    }
  }
}
