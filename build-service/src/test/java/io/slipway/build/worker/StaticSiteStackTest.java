package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticSiteStackTest {

  private final StaticSiteStack stack =
      new StaticSiteStack(
          new StackProperties.StaticSite("localhost/stacks/static:1", "/srv", 8081));

  @Test
  void generatesAContainerfileFromTheCatalogEntry() {
    assertThat(stack.containerfile())
        .isEqualTo(
            """
            FROM localhost/stacks/static:1
            USER 65534
            EXPOSE 8081
            COPY . /srv
            """);
  }

  @Test
  void matchesOnlyARepositoryWithAnIndexHtmlAtItsRoot(@TempDir Path source) throws Exception {
    Files.createDirectories(source.resolve("docs"));
    Files.writeString(source.resolve("docs/index.html"), "nested");
    assertThat(stack.matches(source)).isFalse();
    Files.writeString(source.resolve("index.html"), "root");
    assertThat(stack.matches(source)).isTrue();
    assertThat(new StaticSiteStack(new StackProperties.StaticSite("", "/www", 8080)).enabled())
        .as("no base image configured: the stack is off")
        .isFalse();
  }
}
