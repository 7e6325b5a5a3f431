package io.slipway.build.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tests' static-site stack image ({@link BuildServiceTest#STATIC_BASE_IMAGE}): /bin/busybox and
 * busybox's httpd as its command, built in the host's store, where the stack catalog (and so every
 * tenant's sandbox) finds it.
 */
public final class StaticBase {

  private StaticBase() {}

  public static void build(Path dir) {
    try {
      Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
      Files.writeString(
          dir.resolve("Containerfile"),
          """
          FROM scratch
          COPY busybox /bin/busybox
          CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
  }

  public static void remove() {
    Commands.run("buildah", "rmi", "-f", BuildServiceTest.STATIC_BASE_IMAGE);
  }
}
