package io.slipway.build.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code buildah bud} invocation, typed.
 *
 * @param contextDir the build context (the checked-out commit)
 * @param containerfile the Containerfile or Dockerfile inside it
 * @param image the name and tag to give the image, e.g. {@code localhost/acme/web/site:1a2b...}
 * @param iidFile where buildah writes the image id
 * @param memoryMib the memory limit of RUN steps
 * @param milliCpus the CPU limit of RUN steps, in thousandths of a core; 0 for none
 * @param network {@code none} (no network for RUN steps) or {@code private}
 * @param timeout how long the whole build may take (enforced by the runner)
 */
record BuildahBud(
    Path contextDir,
    Path containerfile,
    String image,
    Path iidFile,
    long memoryMib,
    long milliCpus,
    String network,
    Duration timeout) {

  private static final long CPU_PERIOD = 100_000;

  /** The exact command line: no shell, no interpolation. */
  List<String> arguments() {
    List<String> args = new ArrayList<>();
    args.add("buildah");
    args.add("bud");
    args.add("--layers");
    args.add("--pull=never");
    args.add("--network=" + network);
    args.add("--memory=" + memoryMib + "m");
    if (milliCpus > 0) {
      args.add("--cpu-period=" + CPU_PERIOD);
      args.add("--cpu-quota=" + milliCpus * CPU_PERIOD / 1000);
    }
    args.add("--cap-drop=all");
    // intermediate containers go even when the build fails or is stopped with SIGTERM
    args.add("--force-rm");
    args.add("--iidfile=" + iidFile);
    args.add("--file=" + containerfile);
    args.add("--tag=" + image);
    args.add(contextDir.toString());
    return args;
  }
}
