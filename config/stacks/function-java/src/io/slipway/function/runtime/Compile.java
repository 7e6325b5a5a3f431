package io.slipway.function.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The build's compile step (on the builder's JDK): the {@code .java} files at the repository's
 * root, against this runtime's interface, for the runtime's Java ({@value #RELEASE}); then the
 * class {@code Handler} is checked without running any of its code.
 */
final class Compile {

  /** The runtime image's Java: what the classes are compiled for. */
  static final String RELEASE = "17";

  private Compile() {}

  static void run(Path classes) throws Loader.Unusable, IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler here: the build stage needs a JDK");
    }
    List<Path> sources;
    try (Stream<Path> files = Files.list(Path.of(""))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    Files.createDirectories(classes);
    String runtime =
        Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, null)) {
      boolean compiled =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of(
                      "--release", RELEASE, "-encoding", "UTF-8", "-proc:none", "-classpath",
                      runtime, "-d", classes.toString()),
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
      Diagnostic<? extends JavaFileObject> first = null;
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        // the whole of javac's report goes to the build log
        System.err.println(d);
        if (first == null && d.getKind() == Diagnostic.Kind.ERROR) {
          first = d;
        }
      }
      if (!compiled) {
        throw new Loader.Unusable(reason(first), null);
      }
    }
    Loader.find(classes);
  }

  private static String reason(Diagnostic<? extends JavaFileObject> error) {
    if (error == null) {
      return "Handler.java does not compile";
    }
    String file =
        error.getSource() == null ? "Handler.java" : Path.of(error.getSource().getName()).getFileName().toString();
    String message =
        error.getMessage(Locale.ROOT).lines().map(String::strip).collect(Collectors.joining("; "));
    return file + " does not compile: line " + error.getLineNumber() + ": " + message;
  }
}
