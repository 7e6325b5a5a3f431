package io.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/platform.env, the one place the wiring is written: read alike by {@code ./slipway} and the
 * tests, and naming only variables the services really read.
 */
class PlatformWiringTest {

  private static final Path ROOT = PlatformWiring.root();
  private static final PlatformWiring PLATFORM = PlatformWiring.platform();

  @Test
  void theScriptReadsTheFileAsTheTestsDo() {
    ShellScriptsTest.Result result =
        bash(
            "source scripts/lib.sh; for key in \"${!PLATFORM[@]}\"; do"
                + " printf '%s=%s\\n' \"$key\" \"${PLATFORM[$key]}\"; done");

    assertThat(result.exit()).as(result.output()).isZero();
    Map<String, String> read = new LinkedHashMap<>();
    result
        .output()
        .lines()
        .forEach(
            line ->
                read.put(
                    line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
    assertThat(read).containsExactlyInAnyOrderEntriesOf(PLATFORM.values());
  }

  @Test
  void everyWiredVariableIsOneTheServiceReads() throws IOException {
    // docs/configuration.md names every variable a service reads (each service's
    // ConfigurationDocTest), so a variable the file misspells is missing from its section
    String doc = Files.readString(ROOT.resolve("docs/configuration.md"));
    for (String service : PLATFORM.services()) {
      String section = section(doc, service);
      List<String> variables = new ArrayList<>();
      variables.add(PLATFORM.get(service + ".port-env"));
      PLATFORM
          .databaseEnv(service)
          .ifPresent(
              prefix ->
                  variables.addAll(
                      List.of(prefix + "_URL", prefix + "_USER", prefix + "_PASSWORD")));
      PLATFORM.urls(service).forEach(entry -> variables.add(entry.variable()));
      PLATFORM.publicUrls(service).forEach(entry -> variables.add(entry.variable()));
      PLATFORM.clientSecret(service).ifPresent(entry -> variables.add(entry.variable()));
      PLATFORM.secretKey(service).ifPresent(entry -> variables.add(entry.variable()));
      PLATFORM.previousSecretKeys(service).ifPresent(entry -> variables.add(entry.variable()));

      assertThat(variables)
          .as("%s's variables in docs/configuration.md", service)
          .allSatisfy(variable -> assertThat(section).contains("`" + variable + "`"));
    }
  }

  @Test
  void everyUrlPointsAtAService() {
    for (String service : PLATFORM.services()) {
      List<PlatformWiring.Entry> urls = new ArrayList<>(PLATFORM.urls(service));
      urls.addAll(PLATFORM.publicUrls(service));
      assertThat(urls)
          .allSatisfy(url -> assertThat(PLATFORM.services()).contains(url.target().split("/")[0]));
    }
  }

  @Test
  void servicesListenWhereTheFileSaysByDefault() throws IOException {
    for (String service : PLATFORM.services()) {
      String yaml =
          Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.yaml"));

      assertThat(yaml)
          .as("%s's server.port", service)
          .contains(
              "port: ${"
                  + PLATFORM.get(service + ".port-env")
                  + ":"
                  + PLATFORM.port(service)
                  + "}");
    }
  }

  @Test
  void clientSecretsAreTheRealmsPlaceholdersOfClientsNamedAsTheServices() throws IOException {
    String realm = Files.readString(ROOT.resolve("keycloak/slipway-realm.json"));
    for (String service : PLATFORM.services()) {
      PLATFORM
          .clientSecret(service)
          .ifPresent(
              secret -> {
                int client = realm.indexOf("\"clientId\": \"" + service + "\"");
                assertThat(client).as("client %s in the realm", service).isNotNegative();
                int next = realm.indexOf("\"clientId\"", client + 1);
                assertThat(realm.substring(client, next < 0 ? realm.length() : next))
                    .contains("\"secret\": \"${" + secret.variable() + "}\"");
              });
    }
    assertThat(PLATFORM.get("keycloak.realm")).isEqualTo(TestKeycloak.REALM);
  }

  @Test
  void testVariablesAreTheSecretsVariablesUnderSlipwayTest() {
    assertThat(PlatformWiring.testVariable("SLIPWAY_BUILD_CLIENT_SECRET"))
        .isEqualTo("SLIPWAY_TEST_BUILD_CLIENT_SECRET");
  }

  @Test
  void theScriptBuildsEveryStackFolderEachAfterTheStackItStartsFrom(@TempDir Path stacks)
      throws IOException {
    String prefix = PLATFORM.get("stacks.image-prefix");
    stack(stacks, "zeta", "FROM " + PLATFORM.get("stacks.debian-base"));
    stack(stacks, "alpha", "FROM " + prefix + "/zeta:1 AS build\nFROM " + prefix + "/debian:12");
    stack(stacks, "static", "FROM scratch");
    Files.createDirectories(stacks.resolve("notes")); // no Containerfile: not a stack

    ShellScriptsTest.Result result =
        bash(
            "source scripts/lib.sh; source scripts/images.sh; STACKS_DIR='"
                + stacks
                + "'; stack_images");

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output().lines()).containsExactly("zeta", "alpha");
  }

  @Test
  void theRepositorysStacksAreEveryFolderButStatic() throws IOException {
    ShellScriptsTest.Result result =
        bash("source scripts/lib.sh; source scripts/images.sh; stack_images");

    List<String> folders;
    try (var dirs = Files.list(ROOT.resolve(PLATFORM.get("stacks.dir")))) {
      folders =
          dirs.filter(dir -> Files.isRegularFile(dir.resolve("Containerfile")))
              .map(dir -> dir.getFileName().toString())
              .filter(name -> !name.equals("static"))
              .toList();
    }
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output().lines()).containsExactlyInAnyOrderElementsOf(folders);
  }

  private static void stack(Path stacks, String name, String containerfile) throws IOException {
    Files.createDirectories(stacks.resolve(name));
    Files.writeString(stacks.resolve(name).resolve("Containerfile"), containerfile + "\n");
  }

  private static ShellScriptsTest.Result bash(String script) {
    return ShellScriptsTest.run(ROOT, "bash", "-c", "set -euo pipefail; ROOT=\"$PWD\"; " + script);
  }

  /** A "## <name>" section of the configuration reference, up to the next heading of its level. */
  private static String section(String doc, String name) {
    int start = doc.indexOf("\n## " + name + "\n");
    assertThat(start).as("section %s of docs/configuration.md", name).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return doc.substring(start, end < 0 ? doc.length() : end);
  }
}
