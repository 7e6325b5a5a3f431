package io.slipway.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests start every service from its extracted jar (ServiceProcess.extracted): made once per
 * version of the executable jar, even by JVMs asking at once, and anew when the jar changed.
 */
class ExtractedJarIT {

  @TempDir Path target;

  @Test
  void oneExtractionPerVersionEvenWhenAskedAtOnce() throws Exception {
    Path jar = target.resolve("tenant-service-exec.jar");
    Files.copy(ServiceProcess.jarOf("tenant-service"), jar);

    List<Future<Path>> asked;
    try (var threads = Executors.newFixedThreadPool(3)) {
      Callable<Path> extract = () -> ServiceProcess.extracted(jar);
      asked = threads.invokeAll(List.of(extract, extract, extract));
    }
    Path extracted = asked.getFirst().get();
    for (Future<Path> answer : asked) {
      assertThat(answer.get()).isEqualTo(extracted);
    }
    assertThat(extracted).isRegularFile().hasFileName("tenant-service-exec.jar");
    try (Stream<Path> libraries = Files.list(extracted.resolveSibling("lib"))) {
      assertThat(libraries.filter(library -> library.toString().endsWith(".jar")).count())
          .isGreaterThan(50);
    }
    // the losers' directories are gone: one version, nothing half-made
    try (Stream<Path> versions = Files.list(target.resolve("extracted"))) {
      assertThat(versions).containsExactly(extracted.getParent());
    }

    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Path rebuilt = ServiceProcess.extracted(jar);
    assertThat(rebuilt.getParent()).isNotEqualTo(extracted.getParent());
    assertThat(rebuilt).isRegularFile();
    // the version a running service may still use is left alone
    assertThat(extracted).isRegularFile();
  }
}
