package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stack builds a repository, and the Containerfile each one generates. */
class SourceStacksTest {

  private static final StackProperties CATALOG =
      new StackProperties(
          new StackProperties.StaticSite("localhost/static:1", "/www", 8080),
          new StackProperties.Node("localhost/node:1", "localhost/node-run:1"),
          new StackProperties.Python("localhost/python:1"),
          new StackProperties.JavaMaven("localhost/jdk:1", "localhost/jre:1"),
          new StackProperties.Go("localhost/go:1", "localhost/base:1"));

  private final SourceStacks stacks = new SourceStacks(CATALOG);

  @TempDir Path source;

  @Test
  void theFirstMatchingStackInDetectionOrderWins() throws IOException {
    assertThat(stacks.detect(source)).isEmpty();
    write("index.html", "<h1>hi</h1>");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("static");
    write("app.py", "print()");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("python");
    write("go.mod", "module x\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("go");
    write("pom.xml", "<project/>");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("java-maven");
    write("package.json", "{}");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("node");
  }

  @Test
  void pythonIsRecognisedByRequirementsOrPyproject() throws IOException {
    write("pyproject.toml", "[project]\nname='x'\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("python");
  }

  @Test
  void aStackWithoutImagesStillClaimsItsRepositoryButIsOff() throws IOException {
    write("go.mod", "module x\n");
    SourceStacks off =
        new SourceStacks(
            new StackProperties(
                CATALOG.staticSite(),
                CATALOG.node(),
                CATALOG.python(),
                CATALOG.javaMaven(),
                new StackProperties.Go("", "localhost/base:1")));
    assertThat(off.detect(source).orElseThrow().enabled()).isFalse();
  }

  @Test
  void nodeInstallsDependenciesInALayerOfTheirOwnAndRunsOnTheRuntimeImage() throws IOException {
    write("package.json", "{\"scripts\": {\"start\": \"node src/server.js\"}}");
    write("package-lock.json", "{}");
    write("src/server.js", "");
    assertThat(new NodeStack(CATALOG.node()).containerfile(source))
        .isEqualTo(
            """
            FROM localhost/node:1 AS build
            WORKDIR /app
            COPY package.json package-lock.json ./
            RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules
            FROM localhost/node-run:1
            WORKDIR /app
            ENV NODE_ENV=production PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["node", "src/server.js"]
            COPY --from=build /app/node_modules /app/node_modules
            COPY . /app
            """);
  }

  @Test
  void nodeWithoutALockfileUsesNpmInstallAndTheMainField() throws IOException {
    write("package.json", "{\"main\": \"app.js\"}");
    write("app.js", "");
    String containerfile = new NodeStack(CATALOG.node()).containerfile(source);
    assertThat(containerfile)
        .contains("COPY package.json ./\n")
        .contains("RUN npm install --omit=dev --no-audit --no-fund && mkdir -p node_modules\n")
        .contains("CMD [\"node\", \"app.js\"]\n");
  }

  @Test
  void nodeRefusesAMissingOrEscapingEntryPoint() throws IOException {
    write("package.json", "{\"main\": \"../../etc/passwd\"}");
    assertThatThrownBy(() -> new NodeStack(CATALOG.node()).containerfile(source))
        .hasMessageContaining("unusable entry point");
    write("package.json", "{}");
    assertThatThrownBy(() -> new NodeStack(CATALOG.node()).containerfile(source))
        .hasMessageContaining("the entry point index.js does not exist");
    write("package.json", "not json");
    assertThatThrownBy(() -> new NodeStack(CATALOG.node()).containerfile(source))
        .hasMessageContaining("package.json is not valid JSON");
  }

  @Test
  void pythonRunsAppPyAndRefusesRequirementsItCannotInstall() throws IOException {
    write("app.py", "");
    write("requirements.txt", "# nothing\n\n");
    assertThat(new PythonStack(CATALOG.python()).containerfile(source))
        .isEqualTo(
            """
            FROM localhost/python:1
            WORKDIR /app
            ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["python3", "/app/app.py"]
            COPY . /app
            """);
    write("requirements.txt", "flask==3.0\n");
    assertThatThrownBy(() -> new PythonStack(CATALOG.python()).containerfile(source))
        .hasMessageContaining("requirements.txt names packages");
  }

  @Test
  void javaAndGoBuildOnTheBuilderAndRunOnTheRuntimeImage() throws IOException {
    String java = new JavaMavenStack(CATALOG.javaMaven()).containerfile(source);
    assertThat(java)
        .startsWith(
            "FROM localhost/jdk:1 AS build\nWORKDIR /src\nCOPY . .\nRUN "
                + JavaMavenStack.PROXY_SETTINGS
                + " && mvn -B -q \"$@\" -DskipTests package")
        .contains("\nFROM localhost/jre:1\nENV PORT=8080\nUSER 65534\n")
        .contains("CMD [\"java\", \"-XX:+UseSerialGC\", \"-jar\", \"/app/app.jar\"]\n")
        .endsWith("\nCOPY --from=build /tmp/out/app.jar /app/app.jar\n");
    assertThat(new GoStack(CATALOG.go()).containerfile(source))
        .isEqualTo(
            """
            FROM localhost/go:1 AS build
            WORKDIR /src
            ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOCACHE=/tmp/go-cache GOPATH=/tmp/go
            COPY . .
            RUN go build -ldflags=-s -o /tmp/out/app .
            FROM localhost/base:1
            ENV PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["/app/app"]
            COPY --from=build /tmp/out/app /app/app
            """);
  }

  private void write(String name, String content) throws IOException {
    Path file = source.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
