package io.slipway.build.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The tests' static-site stack image ({@link BuildServiceTest#STATIC_BASE_IMAGE}): /bin/busybox and
 * busybox's httpd as its command, built in the host's store, where the stack catalog (and so every
 * tenant's sandbox) finds it. A test class that builds from it says
 * {@code @ExtendWith(StaticBase.class)}: the image is built before its tests when the host lacks
 * it, and kept: test JVMs running side by side (two checkouts' runs on one machine) share it, and
 * one removing it would fail the other's builds as "base image does not exist".
 */
public final class StaticBase implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Commands.Result present =
        Commands.run("buildah", "images", "-q", BuildServiceTest.STATIC_BASE_IMAGE);
    if (present.exitCode() == 0 && !present.output().isBlank()) {
      return;
    }
    Path dir = Files.createTempDirectory("slwtest-static-base-");
    try {
      Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
      Files.writeString(
          dir.resolve("Containerfile"),
          """
          FROM scratch
          COPY busybox /bin/busybox
          CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
          """);
      String output =
          Commands.ok(
              "buildah",
              "bud",
              "--pull=never",
              "--tag=" + BuildServiceTest.STATIC_BASE_IMAGE,
              dir.toString());
      assertThat(Commands.ok("buildah", "images", "-q", BuildServiceTest.STATIC_BASE_IMAGE))
          .as(output)
          .isNotBlank();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(StaticBase::delete);
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
