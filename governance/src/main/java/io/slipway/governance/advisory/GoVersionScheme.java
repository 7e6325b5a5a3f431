package io.slipway.governance.advisory;

/**
 * Go module versions: SemVer with the mandatory {@code v} prefix ({@code v1.2.3}), which OSV's
 * {@code SEMVER} ranges write without. Pseudo-versions ({@code v0.0.0-20191109021931-daa7c04131f5})
 * are pre-releases and so order by their timestamp, and {@code +incompatible} is build metadata,
 * ignored, exactly as SemVer precedence gives.
 */
final class GoVersionScheme extends SemVerScheme {}
