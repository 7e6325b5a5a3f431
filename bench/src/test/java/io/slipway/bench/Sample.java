package io.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the samples in {@code samples/}: where it is, the file whose {@code marker} text shows on
 * its page, and the Containerfile that does by hand what the platform's stack does (for the floor).
 */
record Sample(String name, String file, String marker, String floorContainerfile, int port) {

  static final Sample STATIC_SITE =
      new Sample(
          "static-site",
          "index.html",
          "Hello from Slipway",
          "FROM localhost/slipway/stacks/static:1\nCOPY . /www\n",
          8080);

  /**
   * The floor's Containerfile is the one the node stack generates for this repository (its lock
   * file: {@code npm ci}, which the floor's host buildah runs with the host's own network).
   */
  static final Sample NODE_APP =
      new Sample(
          "node-app",
          "server.js",
          "Hello from node-app on Slipway",
          String.join(
              "\n",
              "FROM localhost/slipway/stacks/node:1 AS build",
              "WORKDIR /app",
              "COPY package.json package-lock.json ./",
              "RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules",
              "FROM localhost/slipway/stacks/node-runtime:1",
              "WORKDIR /app",
              "ENV NODE_ENV=production PORT=8080",
              "USER 65534",
              "EXPOSE 8080",
              "CMD [\"node\", \"server.js\"]",
              "COPY --from=build /app/node_modules /app/node_modules",
              "COPY . /app",
              ""),
          8080);

  /**
   * A Node app in the Heroku style: a Procfile with web, worker and release, an app.json with a
   * health check, a formation and a cron entry. Not in {@link #ALL}: the floor has no Procfile.
   */
  static final Sample NODE_WORKER_APP =
      new Sample(
          "node-worker-app", "server.js", "Hello from node-worker-app on Slipway", null, 8080);

  static final Sample PYTHON_APP =
      new Sample("python-app", "app.py", "Hello from python-app on Slipway", null, 8080);

  /**
   * A Python app in the Heroku style: a Procfile whose web line starts gunicorn, an app.json with a
   * health check. Not in {@link #ALL}: the floor has no Procfile.
   */
  static final Sample PYTHON_GUNICORN_APP =
      new Sample(
          "python-gunicorn-app",
          "hello.py",
          "Hello from python-gunicorn-app on Slipway",
          null,
          8080);

  /** Ruby with Bundler, started by its Procfile's web line (Debian's webrick: no gem to fetch). */
  static final Sample RUBY_APP =
      new Sample("ruby-app", "app.rb", "Hello from ruby-app on Slipway", null, 8080);

  /**
   * PHP with Composer's autoloader, served by the built-in server its Procfile's web line names.
   */
  static final Sample PHP_APP =
      new Sample("php-app", "src/Greeting.php", "Hello from php-app on Slipway", null, 8080);

  /** The floor builds the sample's own Containerfile, as the platform does. */
  static final Sample DOCKERFILE_APP =
      new Sample(
          "dockerfile-app",
          "serve.py",
          "Hello from dockerfile-app on Slipway",
          read(Path.of("..", "samples", "dockerfile-app", "Containerfile")),
          8080);

  /** The floor's Containerfile is the one the java-maven stack generates for this repository. */
  static final Sample JAVA_MAVEN_APP =
      new Sample(
          "java-maven-app",
          "src/main/java/io/slipway/sample/Hello.java",
          "Hello from java-maven-app on Slipway",
          String.join(
              "\n",
              "FROM localhost/slipway/stacks/java-maven:1 AS build",
              "WORKDIR /src",
              "COPY . .",
              "RUN mvn -B -q -DskipTests package && mkdir -p /tmp/out"
                  + " && cp target/java-maven-app-*.jar /tmp/out/app.jar",
              "FROM localhost/slipway/stacks/java-runtime:1",
              "ENV PORT=8080",
              "USER 65534",
              "EXPOSE 8080",
              "CMD [\"java\", \"-XX:+UseSerialGC\", \"-jar\", \"/app/app.jar\"]",
              "COPY --from=build /tmp/out/app.jar /app/app.jar",
              ""),
          8080);

  /** Every sample, in the README's order. */
  static final List<Sample> ALL =
      List.of(STATIC_SITE, NODE_APP, PYTHON_APP, JAVA_MAVEN_APP, DOCKERFILE_APP);

  /** Whether the floor can build it: its raw-tools Containerfile is known. */
  boolean hasFloor() {
    return floorContainerfile != null;
  }

  Path directory() {
    return Path.of("..", "samples", name);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes the page show {@code marker (text)}; returns that text, which the page will contain. */
  String change(Path repository, String text) {
    Path path = repository.resolve(file);
    String changed = marker + " (" + text + ")";
    try {
      String content = Files.readString(path);
      Files.writeString(
          path,
          Pattern.compile(Pattern.quote(marker) + "( \\([^)]*\\))?")
              .matcher(content)
              .replaceFirst(Matcher.quoteReplacement(changed)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return changed;
  }
}
