package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Java with Gradle: a {@code build.gradle} (or {@code build.gradle.kts}) at the root, built with
 * the builder's Gradle, Debian 12's 4.4.1 (Groovy build scripts only: that package has no Kotlin
 * DSL, so a {@code build.gradle.kts} alone is refused, naming why). A project's {@code gradlew} is
 * not run, and the build log says so: the wrapper downloads its Gradle from services.gradle.org,
 * which builds cannot reach.
 *
 * <p>The build scripts alone ({@link #BUILD_FILES}) are copied first and every resolvable
 * configuration of the projects they declare is resolved, leniently, into the Gradle user home, so
 * that layer is reused while they stay the same and a push that changes only code downloads
 * nothing; then the repository is copied and {@code installDist} (the application plugin's) makes
 * {@code build/install/<project>/}, whose start script runs on the runtime image. Tests are not
 * run: they belong in the developer's CI. Artifacts come through the build's egress proxy ({@link
 * #PROXY_PROPERTIES}). A Procfile's {@code web} command, when there is one, starts the app in the
 * repository as built (without the application plugin, {@code assemble} builds it).
 */
record JavaGradleStack(StackProperties.JavaGradle entry) implements SourceStack {

  /** The files the dependencies' layer is keyed by, copied when present. */
  static final List<String> BUILD_FILES =
      List.of("build.gradle", "settings.gradle", "gradle.properties");

  /**
   * Gradle reads no proxy variables, only Java's proxy properties: when the build has a way out
   * (the sandbox's egress proxy, which buildah hands to RUN steps as {@code HTTPS_PROXY}), they
   * name that proxy on Gradle's command line; without one, Gradle runs as it would.
   */
  static final String PROXY_PROPERTIES =
      "if [ -n \"${HTTPS_PROXY:-}\" ]; then p=${HTTPS_PROXY#*://}; p=${p%%/*};"
          + " set -- -Dhttps.proxyHost=${p%:*} -Dhttps.proxyPort=${p##*:}"
          + " -Dhttp.proxyHost=${p%:*} -Dhttp.proxyPort=${p##*:}; fi";

  /** Where the init script below is written in the build stage. */
  private static final String INIT = "/tmp/slipway-init.gradle";

  /**
   * The init script the build runs with: {@code slipwayDependencies} resolves every configuration
   * that can be (what cannot is left for the build step, which reports it), {@code slipwayStage} is
   * the application plugin's {@code installDist}, else {@code assemble}. Groovy with double quotes
   * only and no {@code $}, so each line is one single-quoted shell word.
   */
  private static final List<String> INIT_SCRIPT =
      List.of(
          "allprojects {",
          "  task slipwayDependencies {",
          "    doLast {",
          "      configurations.findAll { it.canBeResolved }"
              + ".each { it.resolvedConfiguration.lenientConfiguration.files }",
          "    }",
          "  }",
          "}",
          "rootProject {",
          "  afterEvaluate { p ->",
          "    p.task(\"slipwayStage\") {"
              + " dependsOn(p.tasks.findByName(\"installDist\") ?: \"assemble\") }",
          "  }",
          "}");

  private static final String GRADLE = "gradle -q --no-daemon \"$@\" -I " + INIT;

  private static final Pattern WRAPPER_VERSION = Pattern.compile("gradle-([0-9][0-9.]*)-");

  @Override
  public String name() {
    return "java-gradle";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "build.gradle", "build.gradle.kts");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) throws UnbuildableSourceException {
    if (!SourceStack.hasAny(source, "build.gradle")) {
      throw new UnbuildableSourceException(
          "java-gradle stack: build.gradle.kts (the Kotlin DSL) cannot be built here: the"
              + " platform's Gradle is Debian 12's 4.4.1, which reads a Groovy build.gradle only;"
              + " add a build.gradle, or a Containerfile that builds the app");
    }
    List<String> lines = new ArrayList<>();
    lines.add("FROM " + entry.builderImage() + " AS build");
    lines.add("WORKDIR /src");
    lines.add("ENV GRADLE_USER_HOME=/tmp/gradle");
    lines.add("RUN printf '%s\\n' '" + String.join("' '", INIT_SCRIPT) + "' > " + INIT);
    lines.add(
        "COPY "
            + String.join(" ", BUILD_FILES.stream().filter(f -> present(source, f)).toList())
            + " ./");
    if (Files.isDirectory(source.resolve("buildSrc"))) {
      // build logic the scripts may use, so it belongs to what the dependencies are keyed by
      lines.add("COPY buildSrc ./buildSrc");
    }
    // reused while the build scripts stay the same; a script that cannot be evaluated without the
    // sources leaves the resolving to the build step, which reports what fails
    lines.add(
        "RUN "
            + PROXY_PROPERTIES
            + " && "
            + GRADLE
            + " slipwayDependencies || echo 'java-gradle stack: dependencies not resolved ahead"
            + " of the sources; the build step resolves them'");
    lines.add("COPY . .");
    if (web.isPresent()) {
      lines.add("RUN " + PROXY_PROPERTIES + " && " + GRADLE + " slipwayStage");
      lines.add("FROM " + entry.runtimeImage());
      lines.add("WORKDIR /app");
      lines.add("ENV PORT=" + PORT + " JAVA_OPTS=-XX:+UseSerialGC");
      lines.add("USER " + USER);
      lines.add("EXPOSE " + PORT);
      lines.add(SourceStack.startCommand(web.get()));
      // as Heroku's slug: a command written for it names build/install/... or build/libs/...
      lines.add("COPY --from=build /src /app");
      return String.join("\n", lines) + "\n";
    }
    lines.add(
        "RUN "
            + PROXY_PROPERTIES
            + " && "
            + GRADLE
            + " slipwayStage && set -- build/install/*"
            + " && if [ $# -ne 1 ] || [ ! -d \"$1/bin\" ]; then echo \"java-gradle stack:"
            + " gradle installDist made no single build/install/<project>/ (found: $*); apply the"
            + " application plugin with mainClassName, or start the app with a Procfile web"
            + " line\"; exit 1; fi"
            + " && cp -a \"$1\" /tmp/out && ln -s \"bin/${1##*/}\" /tmp/out/start");
    lines.add("FROM " + entry.runtimeImage());
    lines.add("ENV PORT=" + PORT + " JAVA_OPTS=-XX:+UseSerialGC");
    lines.add("USER " + USER);
    lines.add("EXPOSE " + PORT);
    lines.add("CMD [\"/app/start\"]");
    lines.add("COPY --from=build /tmp/out /app");
    return String.join("\n", lines) + "\n";
  }

  private static boolean present(Path source, String file) {
    return Files.isRegularFile(source.resolve(file));
  }

  /** A wrapper in the repository is not run: the build log says so, and which Gradle runs. */
  @Override
  public List<String> notes(Path source) throws IOException {
    Path properties = source.resolve("gradle/wrapper/gradle-wrapper.properties");
    if (!present(source, "gradlew") && !Files.isRegularFile(properties)) {
      return List.of();
    }
    String wanted = "";
    if (Files.isRegularFile(properties)) {
      try (Stream<String> lines = Files.lines(properties)) {
        wanted =
            lines
                .filter(line -> line.startsWith("distributionUrl"))
                .map(WRAPPER_VERSION::matcher)
                .filter(Matcher::find)
                .map(m -> " (it asks for Gradle " + m.group(1) + ")")
                .findFirst()
                .orElse("");
      }
    }
    return List.of(
        "java-gradle stack: the Gradle wrapper is not run"
            + wanted
            + ": it downloads Gradle from services.gradle.org, which builds cannot reach; building"
            + " with the builder's Gradle, Debian 12's 4.4.1");
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }
}
