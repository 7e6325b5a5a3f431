package io.slipway.build.worker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Java with Maven: a {@code pom.xml} at the root. {@code mvn package} (tests skipped: they belong
 * in the developer's CI) on the builder, whose local repository already holds the default
 * lifecycle's plugins, so a project without dependencies builds with no network; one with
 * dependencies fetches them through the build's egress proxy ({@link #PROXY_SETTINGS}). The one jar
 * in {@code target/} (its manifest names the main class) runs with {@code java -jar} on the runtime
 * image, unless a Procfile's {@code web} command starts the app.
 */
record JavaMavenStack(StackProperties.JavaMaven entry) implements SourceStack {

  /**
   * Maven reads no proxy variables, only its settings: when the build has a way out (the sandbox's
   * egress proxy, which buildah hands to RUN steps as {@code HTTPS_PROXY}), a settings file naming
   * that proxy is written and passed with {@code -s}; without one, Maven runs as it would.
   */
  static final String PROXY_SETTINGS =
      "if [ -n \"${HTTPS_PROXY:-}\" ]; then p=${HTTPS_PROXY#*://}; p=${p%%/*};"
          + " for scheme in https http; do"
          + " printf '<proxy><id>%s</id><protocol>%s</protocol><host>%s</host><port>%s</port></proxy>'"
          + " $scheme $scheme \"${p%:*}\" \"${p##*:}\"; done"
          + " | sed 's|^|<settings><proxies>|; s|$|</proxies></settings>|' > /tmp/proxy-settings.xml"
          + " && set -- -s /tmp/proxy-settings.xml; fi";

  @Override
  public String name() {
    return "java-maven";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "pom.xml");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) {
    if (web.isPresent()) {
      return procfileContainerfile(web.get());
    }
    return String.join(
        "\n",
        "FROM " + entry.builderImage() + " AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN "
            + PROXY_SETTINGS
            + " && mvn -B -q \"$@\" -DskipTests package && mkdir -p /tmp/out"
            + " && jars=$(find target -maxdepth 1 -name '*.jar' ! -name '*-sources.jar'"
            + " ! -name '*-javadoc.jar' ! -name 'original-*')"
            + " && [ $(echo \"$jars\" | wc -w) -eq 1 ]"
            + " || { echo \"expected one jar in target/, found: $jars\"; exit 1; }"
            + " && cp $jars /tmp/out/app.jar",
        "FROM " + entry.runtimeImage(),
        "ENV PORT=" + PORT,
        "USER " + USER,
        "EXPOSE " + PORT,
        "CMD [\"java\", \"-XX:+UseSerialGC\", \"-jar\", \"/app/app.jar\"]",
        "COPY --from=build /tmp/out/app.jar /app/app.jar",
        "");
  }

  /**
   * With a Procfile's web command, the image holds the repository with what {@code mvn package}
   * made in it, in {@code /app} (the working directory), as Heroku's slug does: a command written
   * for Heroku names {@code target/<artifact>.jar} or {@code target/classes:target/dependency/*}
   * and finds them. Which jar runs is the command's to say, so no single jar is required.
   */
  private String procfileContainerfile(String web) {
    return String.join(
        "\n",
        "FROM " + entry.builderImage() + " AS build",
        "WORKDIR /src",
        "COPY . .",
        "RUN " + PROXY_SETTINGS + " && mvn -B -q \"$@\" -DskipTests package",
        "FROM " + entry.runtimeImage(),
        "WORKDIR /app",
        "ENV PORT=" + PORT,
        "USER " + USER,
        "EXPOSE " + PORT,
        SourceStack.startCommand(web),
        "COPY --from=build /src /app",
        "");
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }
}
