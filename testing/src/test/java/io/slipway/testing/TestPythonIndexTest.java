package io.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests' package index reads of a module Debian installed, in both of Debian's layouts:
 * Debian 12's egg-info (gunicorn 20.1) and Debian 13's dist-info (gunicorn 23, which requires
 * {@code packaging}).
 */
class TestPythonIndexTest {

  @TempDir Path distPackages;

  @Test
  void anEggInfoRequiresOnlyWhatComesBeforeItsFirstSection() throws IOException {
    Path egg = Files.createDirectories(distPackages.resolve("gunicorn-20.1.0.egg-info"));
    Files.writeString(egg.resolve("entry_points.txt"), "[console_scripts]\ngunicorn = x:run\n");
    Files.writeString(
        egg.resolve("requires.txt"),
        "\n[eventlet]\neventlet>=0.24.1\n\n[:python_version < \"3.8\"]\nimportlib-metadata\n");

    TestPythonIndex.Metadata metadata = TestPythonIndex.Metadata.of(distPackages, "gunicorn");

    assertThat(metadata.entryPoints()).contains("gunicorn = x:run");
    assertThat(metadata.requires()).isEmpty();
  }

  @Test
  void aDistInfoRequiresItsUnmarkedRequiresDistNames() throws IOException {
    Path wheel = Files.createDirectories(distPackages.resolve("gunicorn-23.0.0.dist-info"));
    Files.writeString(wheel.resolve("entry_points.txt"), "[console_scripts]\ngunicorn = x:run\n");
    Files.writeString(
        wheel.resolve("METADATA"),
        String.join(
            "\n",
            "Metadata-Version: 2.1",
            "Name: gunicorn",
            "Requires-Dist: packaging",
            "Requires-Dist: Typing_Extensions>=4.0",
            "Requires-Dist: eventlet>=0.24.1; extra == \"eventlet\"",
            "Requires-Dist: importlib-metadata; python_version < \"3.8\"",
            "",
            "Requires-Dist: not-a-header-but-the-description",
            ""));
    // other distributions whose names start the same are not gunicorn's
    Files.createDirectories(distPackages.resolve("gunicornish-1.0.dist-info"));
    Files.createDirectories(distPackages.resolve("gunicorn-extras-1.0.dist-info"));

    TestPythonIndex.Metadata metadata = TestPythonIndex.Metadata.of(distPackages, "gunicorn");

    assertThat(metadata.entryPoints()).contains("gunicorn = x:run");
    assertThat(metadata.requires()).containsExactly("packaging", "typing-extensions");
  }

  @Test
  void aModuleWithoutMetadataHasNoEntryPointsAndRequiresNothing() throws IOException {
    assertThat(TestPythonIndex.Metadata.of(distPackages, "humanize"))
        .isEqualTo(new TestPythonIndex.Metadata("", List.of()));
  }
}
