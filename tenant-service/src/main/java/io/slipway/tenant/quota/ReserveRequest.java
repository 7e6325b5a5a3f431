package io.slipway.tenant.quota;

import io.slipway.tenant.web.AppName;
import io.slipway.tenant.web.DnsLabel;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A request to reserve quota for a project (and optionally one app in it). Amounts are totals: 2
 * replicas of 256 MiB reserve {@code replicas: 2, memoryMib: 512}. Omitted amounts are 0. {@code
 * app} may name a preview ({@code pr-12--web}): its compute counts in its project as an app's.
 *
 * @param idempotencyKey chosen by the caller (e.g. {@code deploy-<app>-<revision>}); a retry with
 *     the same key returns the first answer
 */
record ReserveRequest(
    @NotBlank
        @Size(max = 200)
        @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "may hold only letters, digits and . _ : -")
        String idempotencyKey,
    @NotNull @DnsLabel(max = 20) String project,
    @AppName(max = 21) String app,
    Long cpuMillicores,
    Long memoryMib,
    Long replicas,
    Long concurrentBuilds,
    Long buildMinutes,
    Long storageMib) {

  Resources amounts() {
    return new Resources(
        zeroIfNull(cpuMillicores),
        zeroIfNull(memoryMib),
        0L,
        zeroIfNull(replicas),
        zeroIfNull(concurrentBuilds),
        zeroIfNull(buildMinutes),
        zeroIfNull(storageMib),
        0L,
        0L);
  }

  private static long zeroIfNull(Long value) {
    return value == null ? 0 : value;
  }
}
