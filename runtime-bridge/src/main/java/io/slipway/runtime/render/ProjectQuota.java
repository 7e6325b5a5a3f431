package io.slipway.runtime.render;

/**
 * A project's compute quota as tenant-service keeps it; a null field is unlimited.
 *
 * @param cpuMillicores CPU over all of the project's instances
 * @param memoryMib memory over all of them
 * @param replicas how many instances (pods)
 */
public record ProjectQuota(Long cpuMillicores, Long memoryMib, Long replicas) {}
