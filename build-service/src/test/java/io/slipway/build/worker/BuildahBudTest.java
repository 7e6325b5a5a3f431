package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuildahBudTest {

  @Test
  void buildsTheExactCommandLineWithLimitsAndNoNetwork() {
    BuildahBud bud =
        new BuildahBud(
            Path.of("/tmp/b/src"),
            Path.of("/tmp/b/src/Containerfile"),
            "localhost/acme/web/site:abc",
            Path.of("/tmp/b/iid"),
            512,
            1500,
            "none",
            Duration.ofMinutes(10));
    assertThat(bud.arguments())
        .containsExactly(
            "buildah",
            "bud",
            "--layers",
            "--pull=never",
            "--network=none",
            "--memory=512m",
            "--cpu-period=100000",
            "--cpu-quota=150000",
            "--cap-drop=all",
            "--force-rm",
            "--iidfile=/tmp/b/iid",
            "--file=/tmp/b/src/Containerfile",
            "--tag=localhost/acme/web/site:abc",
            "/tmp/b/src");
  }

  @Test
  void withoutACpuLimitBuildsMayUseEveryCore() {
    BuildahBud bud =
        new BuildahBud(
            Path.of("/s"),
            Path.of("/s/Containerfile"),
            "localhost/a/b/c:1",
            Path.of("/iid"),
            512,
            0,
            "none",
            Duration.ofMinutes(10));
    assertThat(bud.arguments()).noneMatch(a -> a.startsWith("--cpu-"));
  }
}
