package io.slipway.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * slipway-cli's client of the services is the one {@link ClientGenerator} writes from the services'
 * committed OpenAPI documents: a call whose path, parameters or shapes the CLI wrote by hand, or a
 * document changed without regenerating, fails here. {@code SLIPWAY_CLI_REGENERATE=1} writes it.
 */
class GeneratedClientTest {

  private static final Path SOURCES = Path.of("src", "main", "java");
  private static final Path GENERATED = SOURCES.resolve(ClientGenerator.PACKAGE.replace('.', '/'));

  @Test
  void theCommittedClientIsTheOneTheDocumentsGive() throws IOException {
    Map<Path, String> sources =
        ClientGenerator.generate(
            Path.of("..", "docs", "openapi"), Path.of("src", "main", "openapi", "operations"));
    if (System.getenv("SLIPWAY_CLI_REGENERATE") != null) {
      Files.createDirectories(GENERATED);
      try (Stream<Path> old = Files.list(GENERATED)) {
        for (Path file : old.toList()) {
          Files.delete(file);
        }
      }
      for (Map.Entry<Path, String> source : sources.entrySet()) {
        Files.writeString(SOURCES.resolve(source.getKey()), source.getValue());
      }
    }
    try (Stream<Path> committed = Files.list(GENERATED)) {
      assertThat(committed.map(SOURCES::relativize).sorted().toList())
          .as("the generated package holds exactly the generated classes")
          .containsExactlyElementsOf(sources.keySet().stream().sorted().toList());
    }
    for (Map.Entry<Path, String> source : sources.entrySet()) {
      assertThat(Files.readString(SOURCES.resolve(source.getKey())))
          .as(
              "%s is not what the documents and operations give: regenerate it"
                  + " (SLIPWAY_CLI_REGENERATE=1 mvn test -pl slipway-cli -Dtest=GeneratedClientTest)",
              source.getKey())
          .isEqualTo(source.getValue());
    }
  }

  @Test
  void anOperationTheDocumentLacksFailsTheGenerationNamingIt(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> generate(dir, DOCUMENT, "svc gone GET /api/v1/gone\n"))
        .hasMessage("GET /api/v1/gone is not in docs/openapi/svc.json");
  }

  @Test
  void waitingIsOfferedOnlyWhereTheOperationTakesAPreferHeader(@TempDir Path dir)
      throws IOException {
    assertThatThrownBy(() -> generate(dir, DOCUMENT, "svc thing GET /api/v1/things/{id} wait\n"))
        .hasMessageContaining("takes no Prefer header");
  }

  @Test
  void aPropertyThatIsNoJavaNameFailsTheGeneration(@TempDir Path dir) throws IOException {
    assertThatThrownBy(
            () ->
                generate(
                    dir,
                    DOCUMENT.replace("\"count\"", "\"class\""),
                    "svc thing GET /api/v1/things/{id}\n"))
        .hasMessage("schema Thing: class is no Java name");
  }

  @Test
  void pathsParametersAndShapesComeFromTheDocument(@TempDir Path dir) throws IOException {
    String source = generate(dir, DOCUMENT, "# a comment\n\nsvc thing GET /api/v1/things/{id}\n");
    assertThat(source)
        .contains("public final class SvcClient {")
        .contains("public Thing thing(long id, Integer limit) {")
        .contains(
            "return Json.read(http.get(Uris.path(\"/api/v1/things/{}\", id)"
                + " + Uris.query(\"limit\", limit)), Thing.class);")
        .contains(
            "public record Thing(String name, Long count, List<Part> parts,"
                + " Map<String, Integer> sizes) {}")
        .contains("public record Part(Boolean whole) {}");
  }

  @Test
  void aRecordTheClientSendsIsBuiltByNameNotPosition(@TempDir Path dir) throws IOException {
    String source = generate(dir, DOCUMENT, "svc put PUT /api/v1/things/{id}\n");
    assertThat(source)
        .contains("public Thing put(long id, Part body) {")
        .contains(
            "return Json.read(http.put(Uris.path(\"/api/v1/things/{}\", id), Json.present(body)), Thing.class);")
        .contains("public static Part empty() {\n      return new Part(null);")
        .contains("public Part withWhole(Boolean whole) {\n      return new Part(whole);")
        // what it only answers has no builder
        .doesNotContain("Thing empty()");
  }

  @Test
  void badOperationLinesAreRefusedWithTheirNumber() {
    assertThatThrownBy(() -> ClientGenerator.operations("svc x GET\n"))
        .hasMessageStartingWith("operations line 1: expected");
    assertThatThrownBy(() -> ClientGenerator.operations("svc x GET /a sometimes\n"))
        .hasMessageStartingWith("operations line 1: the mode is one of");
    assertThatThrownBy(() -> ClientGenerator.operations("svc x GET /a\nsvc x GET /b\n"))
        .hasMessage("operations line 2: x is no Java name or is listed twice");
    assertThat(ClientGenerator.operations("svc x POST /a async\n"))
        .isEqualTo(List.of(new ClientGenerator.Operation("svc", "x", "POST", "/a", "async")));
  }

  /** The one class generated from {@code document} as {@code svc} and {@code operations}. */
  private static String generate(Path dir, String document, String operations) throws IOException {
    Files.writeString(dir.resolve("svc.json"), document);
    Files.writeString(dir.resolve("operations"), operations);
    return ClientGenerator.generate(dir, dir.resolve("operations")).values().iterator().next();
  }

  private static final String DOCUMENT =
      """
      {"paths": {"/api/v1/things/{id}": {"get": {
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}},
          {"name": "id", "in": "path", "schema": {"type": "integer", "format": "int64"}}],
        "responses": {"200": {"content": {"*/*": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
       "put": {
        "parameters": [{"name": "id", "in": "path", "schema": {"type": "integer", "format": "int64"}}],
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Part"}}}},
        "responses": {"200": {"content": {"*/*": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
       "components": {"schemas": {
        "Thing": {"type": "object", "properties": {
          "name": {"type": "string"},
          "count": {"type": "integer", "format": "int64"},
          "parts": {"type": "array", "items": {"$ref": "#/components/schemas/Part"}},
          "sizes": {"type": "object", "additionalProperties": {"type": "integer"}}}},
        "Part": {"type": "object", "properties": {"whole": {"type": "boolean"}}}}}}
      """;
}
