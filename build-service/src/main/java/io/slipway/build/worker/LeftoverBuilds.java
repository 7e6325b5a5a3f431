package io.slipway.build.worker;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a build-service that died mid-build leaves behind: its buildah process (which outlives the
 * JVM) and the build's temporary context. Both are found by the build's context prefix, which is
 * part of buildah's command line. buildah is stopped with SIGTERM first, so it removes its working
 * containers, then killed.
 */
final class LeftoverBuilds {

  private static final Logger log = LoggerFactory.getLogger(LeftoverBuilds.class);

  private LeftoverBuilds() {}

  static void stop(String contextPrefix) {
    List<ProcessHandle> leftovers =
        ProcessHandle.allProcesses()
            .filter(
                process ->
                    process.info().arguments().stream()
                        .flatMap(Stream::of)
                        .anyMatch(argument -> argument.contains("/" + contextPrefix)))
            .toList();
    for (ProcessHandle process : leftovers) {
      log.warn("Stopping a build process left by a dead instance: pid {}", process.pid());
      process.destroy();
    }
    for (ProcessHandle process : leftovers) {
      try {
        process
            .onExit()
            .get(CommandRunner.GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, contextPrefix + "*")) {
      for (Path dir : dirs) {
        try (Stream<Path> paths = Files.walk(dir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    } catch (IOException e) {
      log.warn("Could not remove the context of a dead build: {}", e.toString());
    }
  }
}
