package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Node.js: a {@code package.json} at the root. Dependencies are installed on the builder in a layer
 * of their own ({@code npm ci} with a lockfile, else {@code npm install}; dev dependencies left
 * out), so a push that changes only code reuses it; the app runs with {@code node} on the runtime
 * image, started from {@code scripts.start} when it reads {@code node <file>}, else {@code main},
 * else {@code server.js} or {@code index.js} (unless a Procfile's {@code web} command starts it). A
 * repository with {@code node_modules/} committed is taken as it is: no install step runs, so it
 * builds with no network at all.
 */
record NodeStack(StackProperties.Node entry) implements SourceStack {

  private static final Pattern NODE_START = Pattern.compile("^node\\s+([A-Za-z0-9._/-]+)$");
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/-]+");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public String name() {
    return "node";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "package.json");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) throws IOException {
    return containerfile(
        source,
        web.isPresent()
            ? SourceStack.startCommand(web.get())
            : "CMD [\"node\", \"" + mainFile(source) + "\"]");
  }

  /**
   * The Containerfile that installs {@code source}'s dependencies (when it has a {@code
   * package.json} and no {@code node_modules/}) and copies it into {@code /app} of the runtime
   * image, started by {@code start} (its {@code CMD} and the lines that go with it) and ended by
   * {@code last}: steps that check the copied files.
   */
  String containerfile(Path source, String start, String... last) {
    List<String> lines = new ArrayList<>();
    List<String> copies = new ArrayList<>();
    if (SourceStack.hasAny(source, "package.json")
        && !Files.isDirectory(source.resolve("node_modules"))) {
      boolean locked = SourceStack.hasAny(source, "package-lock.json");
      String install =
          locked
              ? "npm ci --omit=dev --no-audit --no-fund"
              : "npm install --omit=dev --no-audit --no-fund";
      lines.add("FROM " + entry.builderImage() + " AS build");
      lines.add("WORKDIR /app");
      lines.add("COPY package.json " + (locked ? "package-lock.json " : "") + "./");
      // node_modules exists even without dependencies, for the COPY below
      lines.add("RUN " + install + " && mkdir -p node_modules");
      // the dependencies' layer is reused while package.json and its lock stay the same; a push
      // that changes only the code makes one small layer
      copies.add("COPY --from=build /app/node_modules /app/node_modules");
    }
    copies.add("COPY . /app");
    lines.add("FROM " + entry.runtimeImage());
    lines.add("WORKDIR /app");
    lines.add("ENV NODE_ENV=production PORT=" + PORT);
    lines.add("USER " + USER);
    lines.add("EXPOSE " + PORT);
    lines.add(start);
    lines.addAll(copies);
    lines.addAll(List.of(last));
    return String.join("\n", lines) + "\n";
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }

  static String mainFile(Path source) throws IOException {
    JsonNode pkg;
    try {
      pkg = JSON.readTree(Files.readString(source.resolve("package.json")));
    } catch (JacksonException e) {
      throw new UnbuildableSourceException("package.json is not valid JSON: " + e.getMessage());
    }
    Matcher start = NODE_START.matcher(pkg.path("scripts").path("start").asString("").trim());
    String main;
    if (start.matches()) {
      main = start.group(1);
    } else if (!pkg.path("main").asString("").isBlank()) {
      main = pkg.path("main").asString();
    } else if (Files.isRegularFile(source.resolve("server.js"))) {
      main = "server.js";
    } else {
      main = "index.js";
    }
    if (!SAFE_PATH.matcher(main).matches() || main.contains("..")) {
      throw new UnbuildableSourceException("package.json names an unusable entry point: " + main);
    }
    if (!Files.isRegularFile(source.resolve(main))) {
      throw new UnbuildableSourceException(
          "node stack: the entry point "
              + main
              + " does not exist (set scripts.start to \"node <file>\" or main in package.json,"
              + " or start the app with a Procfile's web line)");
    }
    return main;
  }
}
