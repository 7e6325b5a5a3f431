package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodmanApiTest {

  @Test
  void directoriesOfServicesLongGoneAreSweptAndALiveOneIsKept() throws Exception {
    Path tmp = Files.createTempDirectory("sweep-");
    Path old = Files.createDirectory(tmp.resolve("slipway-podman-old"));
    Path fresh = Files.createDirectory(tmp.resolve("slipway-podman-fresh"));
    Path live = Files.createDirectory(tmp.resolve("slipway-podman-live"));
    Files.createFile(live.resolve("podman.sock"));
    Path other = Files.createDirectory(tmp.resolve("someone-else"));
    long hourAgo = System.currentTimeMillis() - 3_600_000;
    for (Path dir : List.of(old, live, other)) {
      dir.toFile().setLastModified(hourAgo);
    }

    PodmanApi.sweepAbandoned(tmp);

    assertThat(old).doesNotExist();
    assertThat(fresh).exists();
    assertThat(live).exists();
    assertThat(other).exists();
  }
}
