package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PHP: a {@code composer.json} or {@code index.php} at the root, served by PHP's built-in web
 * server ({@code php -S 0.0.0.0:8080 -t <root>}, the root {@code public/} when it has an {@code
 * index.php}, else the repository) on the runtime image, unless a Procfile's {@code web} command
 * starts it.
 *
 * <p>With a {@code composer.json}, Composer runs on the builder: the packages {@code composer.lock}
 * names are installed (no dev packages, no scripts) in a layer to which only the two files are
 * copied, so it is reused while they stay the same; then the repository is copied and the
 * autoloader dumped. A {@code composer.json} that requires no packages (only {@code php} and {@code
 * ext-*}) needs no lock and no network: only the autoloader is dumped. A {@code
 * vendor/autoload.php} committed is taken as it is (no Composer step).
 */
record PhpStack(StackProperties.Php entry) implements SourceStack {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Composer as root in a build container, with nothing asked and no cache kept in the image. */
  private static final String COMPOSER_ENV =
      "ENV COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_NO_INTERACTION=1 COMPOSER_HOME=/tmp/composer";

  @Override
  public String name() {
    return "php";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "composer.json", "index.php");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) throws IOException {
    String start =
        web.map(SourceStack::startCommand)
            .orElseGet(
                () ->
                    "CMD [\"php\", \"-S\", \"0.0.0.0:"
                        + PORT
                        + "\", \"-t\", \""
                        + documentRoot(source)
                        + "\"]");
    boolean composer =
        SourceStack.hasAny(source, "composer.json")
            && !Files.isRegularFile(source.resolve("vendor/autoload.php"));
    List<String> lines = new ArrayList<>();
    if (composer) {
      lines.addAll(composerStage(source));
    }
    lines.add("FROM " + entry.runtimeImage());
    lines.add("WORKDIR /app");
    lines.add("ENV PORT=" + PORT);
    lines.add("USER " + USER);
    lines.add("EXPOSE " + PORT);
    lines.add(start);
    lines.add(composer ? "COPY --from=build /app /app" : "COPY . /app");
    return String.join("\n", lines) + "\n";
  }

  /** {@code /app/public} when it has an {@code index.php} (Laravel, Symfony, Slim), else /app. */
  private static String documentRoot(Path source) {
    return Files.isRegularFile(source.resolve("public/index.php")) ? "/app/public" : "/app";
  }

  private List<String> composerStage(Path source) throws IOException {
    boolean requires = requiresPackages(source.resolve("composer.json"));
    boolean locked = SourceStack.hasAny(source, "composer.lock");
    if (requires && !locked) {
      throw new UnbuildableSourceException(
          "php stack: composer.json requires packages but there is no composer.lock; run"
              + " `composer update` and commit composer.lock, so the build installs exactly those"
              + " packages");
    }
    List<String> stage = new ArrayList<>();
    stage.add("FROM " + entry.builderImage() + " AS build");
    stage.add("WORKDIR /app");
    stage.add(COMPOSER_ENV);
    if (requires) {
      stage.add("COPY composer.json composer.lock ./");
      // the packages' layer is reused while composer.json and its lock stay the same
      stage.add(
          "RUN composer install --no-dev --no-scripts --no-autoloader --no-progress"
              + " --prefer-dist");
    }
    stage.add("COPY . /app");
    stage.add("RUN composer dump-autoload --no-dev --optimize");
    return stage;
  }

  /** Whether {@code require} names anything but PHP itself and its extensions. */
  private static boolean requiresPackages(Path composerJson) throws IOException {
    JsonNode json;
    try {
      json = JSON.readTree(Files.readString(composerJson));
    } catch (JacksonException e) {
      throw new UnbuildableSourceException("composer.json is not valid JSON: " + e.getMessage());
    }
    Iterator<String> names = json.path("require").propertyNames().iterator();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("php") && !name.startsWith("ext-") && !name.startsWith("lib-")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }
}
