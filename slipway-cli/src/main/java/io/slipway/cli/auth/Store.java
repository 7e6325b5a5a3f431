package io.slipway.cli.auth;

import io.slipway.cli.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's files in its configuration directory ({@code $XDG_CONFIG_HOME/slipway}, else {@code
 * ~/.config/slipway}): {@code servers.json} (where the platform is), {@code context.json} (the
 * default tenant, project and app) and {@code credentials.json} (tokens). The directory is 0700 and
 * every file 0600, written to a temporary file of that mode and moved into place, so a token is
 * never readable by others, not even for an instant.
 */
public final class Store {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final Path directory;

  public Store(Path directory) {
    this.directory = directory;
  }

  /** The directory from the environment, as the XDG base directory specification says. */
  public static Path directoryFrom(Map<String, String> environment) {
    String xdg = environment.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".config");
    return base.resolve("slipway");
  }

  public Path directory() {
    return directory;
  }

  public <R extends Record> Optional<R> read(String name, Class<R> type) {
    Path file = directory.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.read(Json.parse(Files.readString(file)), type));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  public void write(String name, Record value) {
    try {
      if (POSIX) {
        Files.createDirectories(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
      Path temporary =
          POSIX
              ? Files.createTempFile(
                  directory,
                  "." + name,
                  ".tmp",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(directory, "." + name, ".tmp");
      Files.writeString(temporary, Json.write(value, true) + "\n", StandardCharsets.UTF_8);
      Files.move(
          temporary,
          directory.resolve(name),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean delete(String name) {
    try {
      return Files.deleteIfExists(directory.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
