package io.slipway.build.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code buildah bud} a build runs inside the builder image, typed: the one set of flags that
 * both the podman sandbox ({@link SandboxRun}) and the Kubernetes build Job use.
 *
 * @param containerfile the Containerfile's path inside the builder's file system
 * @param image the name and tag to give the image, under the tenant's own repository
 * @param context the build context's path inside the builder's file system (mounted read-only)
 * @param pull {@code never} where the store holds every allowed base (the podman sandbox: the
 *     tenant's own store), {@code missing} where bases come from the platform's registry
 */
public record BuilderBud(String containerfile, String image, String context, String pull) {

  /** The podman sandbox: nothing is ever pulled, FROM resolves only the tenant's own store. */
  public static BuilderBud inTenantStore(String containerfile, String image, String context) {
    return new BuilderBud(containerfile, image, context, "never");
  }

  /**
   * A Kubernetes build pod: the same build, with bases pulled from the platform's registry (the pod
   * has no tenant store to import them into).
   */
  public static BuilderBud fromRegistry(String containerfile, String image, String context) {
    return new BuilderBud(containerfile, image, context, "missing");
  }

  /** The arguments after {@code buildah bud}: no shell, no interpolation. */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    args.add("--layers");
    args.add("--pull=" + pull);
    // chroot isolation: RUN steps share the sandbox's namespaces (buildah refuses any --network
    // but the host's with it), so the sandbox's own network, none, is theirs; no runtime or cgroup
    // of their own is needed inside the user namespace
    args.add("--isolation=chroot");
    args.add("--cap-drop=all");
    // intermediate containers go even when the build fails or is stopped with SIGTERM
    args.add("--force-rm");
    args.add("--file=" + containerfile);
    args.add("--tag=" + image);
    args.add(context);
    return args;
  }
}
