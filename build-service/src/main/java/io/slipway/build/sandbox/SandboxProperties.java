package io.slipway.build.sandbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The build sandbox ({@code slipway.build.sandbox.*}): every build runs in a container of the
 * builder image, in a user namespace and image store of its tenant's own (docs/security.md).
 *
 * @param enabled false runs {@code buildah bud} on the host as build-service's user, in the host's
 *     shared store: only for a platform whose every pusher is trusted (and the benchmark's
 *     baseline)
 * @param builderImage the builder image in local containers-storage ({@code ./slipway} makes it)
 * @param dir where tenants' stores, caches and the platform images' store live; empty: {@code
 *     <data-dir>/.sandbox}
 * @param uidBase the first host uid of tenant ranges: tenant n maps root to {@code uidBase + n *
 *     65536}; must not overlap any uid the host uses (e.g. {@code /etc/subuid} ranges)
 * @param pidsLimit how many processes a build may have at once
 * @param openFiles a build's open-files limit (below the host's hard limit)
 * @param platformImages images from local containers-storage that any tenant's build may start
 *     {@code FROM}, besides the source stacks' images; by default the platform's VM guest image
 *     ({@link #VM_GUEST_IMAGE}), so that a tenant builds its own VM images on it (docs/vms.md)
 * @param warmIdle how long a tenant's warm builder (a running builder container its next build is
 *     run in with {@code podman exec}, one build at a time) waits for that build before it is
 *     removed; {@code 0s}: no warm builders, every build starts a container of its own
 * @param storeMib the size of each tenant's build store, MiB: its image store and cache (its
 *     builds' layers, images and {@code RUN --mount=type=cache} directories) on a file system of
 *     their own, a sparse file on the host's disk that holds what they hold; a build that fills it
 *     fails naming this limit, and the host's disk is not touched. Raising it grows every store;
 *     lowering it shrinks none that exists
 * @param preparePlatformImages copy the version the host has of every platform image into the
 *     platform images' store when build-service starts (in the background: its health says {@code
 *     OUT_OF_SERVICE} until that is done), so that no first push waits for it; false: the first
 *     build that names a version the store lacks copies it
 * @param platformDir where the platform images' store lives; empty: {@code <dir>/platform}. Only
 *     build-services that never copy into it at once may share one (a copy unmounts the store's
 *     overlay directory when it ends): the tests' platforms of one JVM, which run one after
 *     another, share one so that each does not copy the stacks again
 */
@Validated
@ConfigurationProperties("slipway.build.sandbox")
public record SandboxProperties(
    @DefaultValue("true") boolean enabled,
    @NotBlank @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/builder:1")
        String builderImage,
    @NotNull @DefaultValue("") String dir,
    @Min(65536) @Max(3_000_000_000L) @DefaultValue("200000000") long uidBase,
    @Min(64) @Max(1_000_000) @DefaultValue("4096") long pidsLimit,
    @Min(64) @Max(16384) @DefaultValue("4096") long openFiles,
    @NotNull @DefaultValue(VM_GUEST_IMAGE) List<@Pattern(regexp = IMAGE) String> platformImages,
    @NotNull @DefaultValue("10m") Duration warmIdle,
    @Min(64) @Max(16_777_216) @DefaultValue("10240") long storeMib,
    @DefaultValue("true") boolean preparePlatformImages,
    @NotNull @DefaultValue("") String platformDir) {

  static final String IMAGE = "[a-z0-9][a-z0-9./:_@-]*";

  /**
   * The platform's Debian guest in containerDisk format (config/vm/guest), which runtime-bridge
   * boots as {@code slipway.runtime.vm.guest-image}: read-only to builds like the stacks' images.
   */
  public static final String VM_GUEST_IMAGE = "localhost/slipway/vm/debian:1";
}
