package io.slipway.runtime.deploy;

import io.slipway.runtime.admission.ImageAdmission;
import io.slipway.runtime.admission.VmImages;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import org.springframework.stereotype.Service;

/**
 * Admits a VM's disk image before the VM is made (docs/vms.md, "Which images a VM may boot"). The
 * platform's VM images are the platform's own, built from Debian packages like its runner, and boot
 * as they are (one named by digest must be in storage under that name). A tenant's own image (its
 * reference already admitted by {@link VmImages}) goes through the very admission a deploy of it
 * would ({@link ImageAdmission#admitVm}: the tenant's and project's image policy, signatures, SBOM,
 * vulnerabilities, registries), then must be a containerDisk the runner boots. Each refusal is 422
 * {@code image-refused} naming why.
 */
@Service
class VmImageAdmission {

  private final ImageAdmission admission;
  private final VmLifecycle lifecycle;
  private final VmSettings settings;

  VmImageAdmission(ImageAdmission admission, VmLifecycle lifecycle, VmSettings settings) {
    this.admission = admission;
    this.lifecycle = lifecycle;
    this.settings = settings;
  }

  void admit(VmSpec spec) {
    if (spec.image().startsWith(settings.imagePrefix())) {
      if (spec.image().contains("@")) {
        admission.requireVmImage(spec.ref(), spec.image());
      }
      return;
    }
    admission.admitVm(spec.ref(), spec.image());
    lifecycle
        .runtime()
        .diskProblem(spec.ref(), spec.image())
        .ifPresent(
            why -> {
              throw VmImages.notAContainerDisk(spec.image(), why);
            });
  }
}
