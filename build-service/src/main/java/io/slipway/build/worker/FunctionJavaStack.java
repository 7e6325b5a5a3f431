package io.slipway.build.worker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Java functions: a {@code Handler.java} at the root whose class {@code Handler} (default package)
 * implements {@code io.slipway.function.Handler}. No build tool: the root's {@code .java} files are
 * compiled on the builder's JDK against the runtime's jar, which the build stage copies from the
 * runtime image, for the runtime image's Java ({@code --release 17}); that step ends the build with
 * the file, line and message of a compile error, or with why the class {@code Handler} cannot be
 * used. The classes go to {@value #CLASSES}, the repository to {@code /app}, and the last step
 * loads the handler as the runtime will (its static initialiser and constructor run).
 */
record FunctionJavaStack(StackProperties.FunctionJava entry) implements FunctionStack {

  /** The runtime in the stack's runtime image ({@code config/stacks/function-java}). */
  static final String RUNTIME = FunctionRuntime.DIR + "/runtime.jar";

  /** Where the image holds the function's compiled classes (root-owned, read-only to it). */
  static final String CLASSES = "/opt/slipway/handler";

  /**
   * The JVM of a function: the serial collector (one run at a time needs no GC threads, and its
   * small heap starts fast) and only the JIT's first tier (C1), which reaches speed in
   * milliseconds: a function is woken often and runs briefly, where C2's later gains never pay for
   * its compile time on a shared CPU.
   */
  private static final String[] JAVA = {
    "java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", RUNTIME, CLASSES
  };

  @Override
  public String name() {
    return "function-java";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "Handler.java");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) {
    return String.join(
        "\n",
        "FROM " + entry.builderImage() + " AS build",
        "COPY --from=" + entry.runtimeImage() + " " + RUNTIME + " " + RUNTIME,
        "WORKDIR /src",
        "COPY *.java ./",
        FunctionRuntime.compile("java -jar " + RUNTIME + " /tmp/classes"),
        "FROM " + entry.runtimeImage(),
        "WORKDIR /app",
        "ENV PORT=" + PORT,
        "USER " + USER,
        "EXPOSE " + PORT,
        FunctionRuntime.start("java", JAVA),
        // /app first: buildah makes a WORKDIR that does not exist yet at the first COPY, owned by
        // the USER, which must not own the function's files
        "COPY . /app",
        "COPY --from=build /tmp/classes " + CLASSES,
        FunctionRuntime.check(String.join(" ", JAVA)),
        "");
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }
}
