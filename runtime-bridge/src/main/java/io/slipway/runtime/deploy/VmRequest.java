package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.admission.VmImages;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import java.util.List;
import java.util.Objects;

/**
 * A VM as {@code PUT .../apps/{app}/vm} takes it (issue 23). Only {@code vcpus} and {@code
 * memoryMib} are required; the image defaults to the platform's guest image, the user-data to none,
 * the ports to none, the HTTP port (one of the ports, which the app's hosts route to) to none, the
 * persistent data disk (the guest's {@code /data}, in MiB) to none.
 */
record VmRequest(
    Integer vcpus,
    Integer memoryMib,
    String image,
    String userData,
    List<Integer> ports,
    Integer httpPort,
    Integer dataDiskMib) {

  /** A VM without a data disk. */
  VmRequest(
      Integer vcpus,
      Integer memoryMib,
      String image,
      String userData,
      List<Integer> ports,
      Integer httpPort) {
    this(vcpus, memoryMib, image, userData, ports, httpPort, null);
  }

  /**
   * The app's VM: 400 {@code invalid-vm} naming the field and its bound, 422 {@code image-refused}
   * for an image neither the platform's VM images nor the tenant's own by digest (what the image
   * is, and the tenant's image policy, are asked of {@link VmImageAdmission} next).
   */
  VmDefinition validated(AppRef ref, VmSettings settings) {
    if (vcpus == null) {
      throw invalid("vcpus is required (1 to " + VmSpec.MAX_VCPUS + ")");
    }
    if (memoryMib == null) {
      throw invalid(
          "memoryMib is required (" + VmSpec.MIN_MEMORY_MIB + " to " + VmSpec.MAX_MEMORY_MIB + ")");
    }
    if (ports != null && ports.stream().anyMatch(Objects::isNull)) {
      throw invalid("ports must be TCP port numbers (1 to 65535)");
    }
    String disk = image == null ? settings.guestImage() : image;
    VmDefinition vm;
    try {
      vm =
          new VmDefinition(
              new VmSpec(
                  ref,
                  vcpus,
                  memoryMib,
                  disk,
                  userData == null ? "" : userData,
                  ports == null ? List.of() : ports,
                  dataDiskMib == null ? 0 : dataDiskMib),
              httpPort);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    VmImages.admit(ref.tenantId(), settings.buildImagePrefix(), settings.imagePrefix(), disk);
    return vm;
  }

  private static Problem invalid(String detail) {
    return Problem.badRequest("invalid-vm", detail);
  }
}
