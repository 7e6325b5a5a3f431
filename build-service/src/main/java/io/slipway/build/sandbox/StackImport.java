package io.slipway.build.sandbox;

/**
 * A platform image a build may start {@code FROM}, imported into the tenant's own store on first
 * use from the read-only OCI layout the host exported once per image version.
 *
 * @param reference the name builds use, e.g. {@code localhost/slipway/stacks/node:1}
 * @param layout the OCI layout's path inside the builder (under {@link SandboxRun#STACKS})
 * @param imageId the image's full id (its config digest, without {@code sha256:}); a tenant store
 *     whose {@code reference} names another id imports it again
 */
public record StackImport(String reference, String layout, String imageId) {}
