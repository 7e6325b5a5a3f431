package io.slipway.build.worker;

import io.slipway.build.procfile.AppJson;
import io.slipway.build.procfile.AppJsonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code app.json} at a repository's root (a regular file; a link is ignored), read when the
 * stack runs the Procfile too: its deploy scripts, web health check, formation and required
 * variables go with the image as the label {@value ProcfileLabel#APP_JSON} ({@link ProcfileLabel}),
 * where runtime-bridge acts on them at deploy. A faulty file fails the build, naming the member.
 */
final class RepositoryAppJson {

  static final String FILE = "app.json";

  private RepositoryAppJson() {}

  /**
   * The app.json the image {@code stack} builds from {@code source} is deployed by: empty without
   * one, when the stack does not run it, or when nothing in it concerns the runtime. What the build
   * log should say of it goes to {@code log}.
   *
   * @throws SourceStack.UnbuildableSourceException when it cannot be parsed, with the reason
   */
  static Optional<AppJson> used(Path source, SourceStack stack, Consumer<String> log)
      throws IOException {
    Path file = source.resolve(FILE);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !stack.runsProcfile()) {
      return Optional.empty();
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      content = in.readNBytes(AppJson.MAX_BYTES + 1);
    }
    AppJson appJson;
    try {
      appJson = AppJson.parse(content);
    } catch (AppJsonException e) {
      throw new SourceStack.UnbuildableSourceException(e.getMessage());
    }
    appJson.notes().forEach(log);
    if (appJson.empty()) {
      log.accept(
          "app.json: nothing in it concerns deploys (scripts, healthchecks, formation, env, cron)");
      return Optional.empty();
    }
    log.accept("app.json: " + describe(appJson));
    return Optional.of(appJson);
  }

  private static String describe(AppJson appJson) {
    List<String> parts = new ArrayList<>();
    if (appJson.predeploy() != null) {
      parts.add("predeploy runs before each deploy takes traffic");
    }
    if (appJson.postdeploy() != null) {
      parts.add("postdeploy runs after each deploy");
    }
    if (appJson.healthcheck() != null) {
      parts.add("web is checked at " + appJson.healthcheck().path());
    }
    if (!appJson.formation().isEmpty()) {
      parts.add("first deploy's formation " + appJson.formation());
    }
    if (!appJson.requiredEnv().isEmpty()) {
      parts.add("requires " + String.join(", ", appJson.requiredEnv()));
    }
    if (!appJson.cron().isEmpty()) {
      parts.add(
          appJson.cron().size() + " cron " + (appJson.cron().size() == 1 ? "entry" : "entries"));
    }
    return String.join("; ", parts);
  }
}
