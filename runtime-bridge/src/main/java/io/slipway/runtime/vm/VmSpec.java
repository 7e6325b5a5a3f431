package io.slipway.runtime.vm;

import io.slipway.runtime.model.AppRef;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One virtual machine as the podman driver runs it: an app of the VM kind (docs/vms.md). Every
 * bound is checked here, so a spec that exists can be started.
 *
 * @param ref which app the VM is; its name ({@link AppRef#app()}, a DNS-1123 label) is the guest's
 *     host name, its ids name the container and the volume
 * @param vcpus virtual CPUs, 1 to {@link #MAX_VCPUS}
 * @param memoryMib the guest's memory, {@link #MIN_MEMORY_MIB} to {@link #MAX_MEMORY_MIB}
 * @param image the containerDisk image (a disk image at {@code /disk/<name>.qcow2}, a kernel at
 *     {@code /boot/vmlinuz} with {@code /boot/initrd.img}), as local storage names it
 * @param userData the NoCloud user-data given to the guest (the subset docs/vms.md lists), at most
 *     {@link #MAX_USER_DATA_BYTES} bytes of UTF-8, no NUL; empty for none
 * @param ports the guest's TCP ports that the VM's container exposes as the same ports, at most
 *     {@link #MAX_PORTS}, each 1 to 65535, no repeats
 * @param dataDiskMib the size of the VM's persistent data disk (the guest's {@code /data}), {@link
 *     #MIN_DATA_DISK_MIB} to {@link #MAX_DATA_DISK_MIB}; 0 for none
 */
public record VmSpec(
    AppRef ref,
    int vcpus,
    int memoryMib,
    String image,
    String userData,
    List<Integer> ports,
    int dataDiskMib) {

  public static final int MAX_VCPUS = 8;
  public static final int MIN_MEMORY_MIB = 128;
  public static final int MAX_MEMORY_MIB = 16_384;
  public static final int MAX_USER_DATA_BYTES = 64 * 1024;
  public static final int MAX_PORTS = 16;
  public static final int MIN_DATA_DISK_MIB = 64;
  public static final int MAX_DATA_DISK_MIB = 65_536;

  /** A local image reference: registry/path:tag or @digest; no spaces, no shell or URL syntax. */
  private static final Pattern IMAGE =
      Pattern.compile(
          "[a-z0-9][a-z0-9._-]*(:[0-9]+)?(/[a-z0-9][a-z0-9._-]*)*(:[\\w][\\w.-]{0,127})?"
              + "(@sha256:[0-9a-f]{64})?");

  public VmSpec {
    Objects.requireNonNull(ref, "ref");
    if (vcpus < 1 || vcpus > MAX_VCPUS) {
      throw new IllegalArgumentException("vcpus must be 1 to " + MAX_VCPUS + ", not " + vcpus);
    }
    if (memoryMib < MIN_MEMORY_MIB || memoryMib > MAX_MEMORY_MIB) {
      throw new IllegalArgumentException(
          "memoryMib must be " + MIN_MEMORY_MIB + " to " + MAX_MEMORY_MIB + ", not " + memoryMib);
    }
    Objects.requireNonNull(image, "image");
    if (image.length() > 255 || !IMAGE.matcher(image).matches()) {
      throw new IllegalArgumentException(
          "image '" + shorten(image) + "' is not an image reference");
    }
    Objects.requireNonNull(userData, "userData");
    int bytes = userData.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_USER_DATA_BYTES) {
      throw new IllegalArgumentException(
          "userData is " + bytes + " bytes; at most " + MAX_USER_DATA_BYTES + " are allowed");
    }
    if (userData.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("userData must not contain NUL");
    }
    ports = List.copyOf(Objects.requireNonNull(ports, "ports"));
    if (ports.size() > MAX_PORTS) {
      throw new IllegalArgumentException(
          "at most " + MAX_PORTS + " ports may be exposed, not " + ports.size());
    }
    if (dataDiskMib != 0 && (dataDiskMib < MIN_DATA_DISK_MIB || dataDiskMib > MAX_DATA_DISK_MIB)) {
      throw new IllegalArgumentException(
          "dataDiskMib must be 0 (none) or "
              + MIN_DATA_DISK_MIB
              + " to "
              + MAX_DATA_DISK_MIB
              + ", not "
              + dataDiskMib);
    }
    var seen = new HashSet<Integer>();
    for (int port : ports) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port " + port + " is not a TCP port (1 to 65535)");
      }
      if (!seen.add(port)) {
        throw new IllegalArgumentException("port " + port + " is exposed twice");
      }
    }
  }

  /** A VM without a data disk. */
  public VmSpec(
      AppRef ref, int vcpus, int memoryMib, String image, String userData, List<Integer> ports) {
    this(ref, vcpus, memoryMib, image, userData, ports, 0);
  }

  /** Whether the VM has a persistent data disk. */
  public boolean hasDataDisk() {
    return dataDiskMib > 0;
  }

  /** The guest's host name. */
  public String name() {
    return ref.app();
  }

  private static String shorten(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }
}
