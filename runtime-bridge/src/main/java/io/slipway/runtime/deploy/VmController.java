package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.vm.VmRuntime;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import io.slipway.runtime.vm.VmStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An app that is a VM (issue 23): {@code GET} for a viewer; making, starting, stopping, restarting
 * and deleting it for a developer or more, audited as {@code app.vm-created}, {@code
 * app.vm-started}, {@code app.vm-stopped}, {@code app.vm-restarted} and {@code app.vm-deleted}; an
 * app the caller cannot see, 404 for every one.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/vm")
class VmController {

  private final AppAccess access;
  private final VmLifecycle lifecycle;
  private final VmSettings settings;
  private final AppStatus apps;
  private final VmImageAdmission images;

  VmController(
      AppAccess access,
      VmLifecycle lifecycle,
      VmSettings settings,
      AppStatus apps,
      VmImageAdmission images) {
    this.access = access;
    this.images = images;
    this.lifecycle = lifecycle;
    this.settings = settings;
    this.apps = apps;
  }

  /**
   * The VM: its spec (the user-data's size, never its content), whether it should run ({@code
   * desired}: {@code RUNNING} or {@code STOPPED}), what the runtime says ({@code state}: {@code
   * RUNNING}, {@code STOPPED} or {@code ABSENT}; {@code accelerator}: {@code KVM} or {@code TCG},
   * null until QEMU answers), whether the guest said it is ready and after how many seconds of its
   * uptime, and the {@code ip:port} of each exposed port on the project's network while it runs.
   * {@code reservedMemoryMib} is what it holds against the memory quota while it runs: {@code
   * memoryMib} for the guest and QEMU's own overhead ({@code
   * slipway.runtime.vm.qemu-overhead-mib}). With an {@code httpPort}, {@code url} is where the
   * app's hosts send it through the router (the app's own URL); null without one. {@code
   * dataDiskMib}: its persistent data disk's size, 0 for none.
   */
  record VmView(
      int vcpus,
      int memoryMib,
      int reservedMemoryMib,
      String image,
      int userDataBytes,
      List<Integer> ports,
      int dataDiskMib,
      Integer httpPort,
      String url,
      String desired,
      String state,
      String accelerator,
      boolean ready,
      Double readyAfterSeconds,
      List<String> addresses) {}

  @GetMapping
  VmView get(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    return view(access.require(tenant, project, app, caller, false));
  }

  /**
   * Makes the app a VM and starts it: 201, or 200 when it is this VM already. 400 {@code
   * invalid-vm} naming the field and its bound; 422 {@code image-refused}; 409 {@code vm-exists}
   * for another spec, {@code quota-exceeded} naming the quota (no VM is left), {@code
   * vm-unsupported} on a runtime without VMs.
   */
  @PutMapping
  ResponseEntity<VmView> put(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody VmRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    VmDefinition vm = request.validated(ref, settings);
    images.admit(vm.spec());
    Map<String, Object> details = VmLifecycle.details(vm);
    boolean created =
        lifecycle.create(vm, new ChangeAudit.Intent(caller, "app.vm-created", details));
    return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(view(ref));
  }

  /** Starts a stopped VM, reserving its compute first: 409 {@code quota-exceeded} over quota. */
  @PostMapping("/start")
  VmView start(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    lifecycle.start(ref, new ChangeAudit.Intent(caller, "app.vm-started", Map.of()));
    return view(ref);
  }

  /** Powers the VM off (the guest's ACPI button, then QEMU's quit) and releases its compute. */
  @PostMapping("/stop")
  VmView stop(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    lifecycle.stop(ref, new ChangeAudit.Intent(caller, "app.vm-stopped", Map.of()));
    return view(ref);
  }

  /** Powers the VM off and boots it again; 409 {@code vm-not-running} when it is stopped. */
  @PostMapping("/restart")
  VmView restart(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    lifecycle.restart(ref, new ChangeAudit.Intent(caller, "app.vm-restarted", Map.of()));
    return view(ref);
  }

  /**
   * Deletes the VM with its disk and releases its compute: 204; 404 when the app is no VM. With
   * {@code keepDataDisk}, its data disk stays for the app's next VM (to change a VM's spec without
   * losing its data); the app's deletion removes it.
   */
  @DeleteMapping
  ResponseEntity<Void> delete(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "false") boolean keepDataDisk,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    lifecycle.require(ref);
    lifecycle.delete(
        ref,
        keepDataDisk,
        new ChangeAudit.Intent(
            caller, "app.vm-deleted", keepDataDisk ? Map.of("keepDataDisk", true) : Map.of()));
    return ResponseEntity.noContent().build();
  }

  private VmView view(AppRef ref) {
    VmStore.StoredVm vm = lifecycle.require(ref);
    VmSpec spec = vm.spec();
    VmRuntime runtime = lifecycle.runtime();
    VmStatus status = runtime.status(ref);
    List<String> addresses =
        status.state() == VmStatus.State.RUNNING
            ? spec.ports().stream().flatMap(port -> runtime.address(ref, port).stream()).toList()
            : List.of();
    return new VmView(
        spec.vcpus(),
        spec.memoryMib(),
        lifecycle.reservedMemoryMib(spec),
        spec.image(),
        spec.userData().getBytes(StandardCharsets.UTF_8).length,
        spec.ports(),
        spec.dataDiskMib(),
        vm.httpPort(),
        vm.httpPort() == null ? null : apps.url(ref),
        vm.running() ? "RUNNING" : "STOPPED",
        status.state().name(),
        status.accelerator().map(Enum::name).orElse(null),
        status.guestReady(),
        status.readyAfterSeconds().orElse(null),
        addresses);
  }
}
