package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stack builds a repository, and the Containerfile each one generates. */
class SourceStacksTest {

  /** A catalog with every stack on, each image named after its role. */
  static final StackProperties CATALOG =
      new StackProperties(
          new StackProperties.StaticSite("localhost/static:1", "/www", 8080),
          new StackProperties.Node("localhost/node:1", "localhost/node-run:1"),
          new StackProperties.Python("localhost/python:1", "https://pypi.example.test/simple"),
          new StackProperties.JavaMaven("localhost/jdk:1", "localhost/jre:1"),
          new StackProperties.JavaGradle("localhost/gradle:1", "localhost/jre:1"),
          new StackProperties.Go("localhost/go:1", "localhost/base:1"),
          new StackProperties.Ruby(
              "localhost/ruby:1", "localhost/ruby-run:1", "https://gems.example.test"),
          new StackProperties.Php("localhost/php:1", "localhost/php-run:1"),
          new StackProperties.FunctionNode("localhost/node:1", "localhost/fn-node:1"),
          new StackProperties.FunctionPython("localhost/fn-python:1"),
          new StackProperties.FunctionJava("localhost/jdk:1", "localhost/fn-java:1"));

  private final SourceStacks stacks = new SourceStacks(CATALOG);

  @TempDir Path source;

  @Test
  void theFirstMatchingStackInDetectionOrderWins() throws IOException {
    assertThat(stacks.detect(source)).isEmpty();
    write("index.html", "<h1>hi</h1>");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("static");
    write("index.php", "<?php echo 'hi';");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("php");
    write("app.py", "print()");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("python");
    write("go.mod", "module x\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("go");
    write("build.gradle", "apply plugin: 'java'\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("java-gradle");
    write("pom.xml", "<project/>");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("java-maven");
    write("package.json", "{}");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("node");
    write("Gemfile", "source 'https://rubygems.org'\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("ruby");
  }

  @Test
  void phpIsRecognisedByComposerJsonAndRubyByConfigRu() throws IOException {
    write("composer.json", "{}");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("php");
    write("config.ru", "run ->(env) { [200, {}, ['hi']] }\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("ruby");
  }

  @Test
  void gradleIsRecognisedByAKotlinBuildScriptTooAndGoesAfterMaven() throws IOException {
    write("build.gradle.kts", "plugins { java }\n");
    write("go.mod", "module x\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("java-gradle");
    write("pom.xml", "<project/>");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("java-maven");
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
                CATALOG.javaGradle(),
                new StackProperties.Go("", "localhost/base:1"),
                CATALOG.ruby(),
                CATALOG.php(),
                CATALOG.functionNode(),
                CATALOG.functionPython(),
                CATALOG.functionJava()));
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
  void pythonWithoutRequirementsRunsAppPyWithNoInstallStage() throws IOException {
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
  }

  @Test
  void pythonInstallsRequirementsIntoAVenvFromTheIndexInAStageOfTheirOwn() throws IOException {
    write("main.py", "");
    write("requirements.txt", "flask==3.0\n");
    assertThat(new PythonStack(CATALOG.python()).containerfile(source))
        .isEqualTo(
            """
            FROM localhost/python:1 AS deps
            RUN python3 -m venv /opt/venv
            COPY requirements.txt /tmp/requirements.txt
            RUN /opt/venv/bin/pip install -q --no-cache-dir --disable-pip-version-check \
            --no-input --progress-bar off --cert /etc/ssl/certs/ca-certificates.crt \
            --index-url 'https://pypi.example.test/simple' -r /tmp/requirements.txt
            FROM localhost/python:1
            WORKDIR /app
            ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=8080
            ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
            USER 65534
            EXPOSE 8080
            CMD ["python3", "/app/main.py"]
            COPY --from=deps /opt/venv /opt/venv
            COPY . /app
            """);
  }

  @Test
  void pythonTrustsAPlainHttpIndexAndInstallsOnlyFromCommittedWheels() throws IOException {
    write("app.py", "");
    write("requirements.txt", "tiny\n");
    PythonStack http =
        new PythonStack(new StackProperties.Python("localhost/python:1", "http://10.0.0.2/simple"));
    assertThat(http.containerfile(source))
        .contains(" --index-url 'http://10.0.0.2/simple' --trusted-host '10.0.0.2' -r ");
    write("wheels/tiny-1.0-py3-none-any.whl", "");
    assertThat(http.containerfile(source))
        .contains("COPY requirements.txt /tmp/requirements.txt\nCOPY wheels /tmp/wheels\nRUN ")
        .contains(" --no-index --find-links /tmp/wheels -r /tmp/requirements.txt\n")
        .doesNotContain("--index-url");
  }

  @Test
  void thePythonIndexMustBeAPlainHttpUrlSafeInAShellStep() {
    try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
      Validator validator = factory.getValidator();
      for (String good :
          List.of(
              "https://pypi.org/simple",
              "http://10.1.2.3:8080/simple/",
              "https://mirror.example.test/pypi/simple")) {
        assertThat(validator.validate(new StackProperties.Python("p:1", good))).as(good).isEmpty();
      }
      for (String bad :
          List.of(
              "ftp://pypi.org/simple",
              "https://user:secret@pypi.org/simple",
              "https://pypi.org/simple' && curl evil '",
              "https://pypi.org/$(id)",
              "")) {
        assertThat(validator.validate(new StackProperties.Python("p:1", bad)))
            .as(bad)
            .extracting(violation -> violation.getPropertyPath().toString())
            .containsExactly("indexUrl");
      }
    }
  }

  @Test
  void pythonNeedsAnAppToRun() throws IOException {
    write("requirements.txt", "flask\n");
    assertThatThrownBy(() -> new PythonStack(CATALOG.python()).containerfile(source))
        .hasMessageContaining("no app.py or main.py");
  }

  @Test
  void nodeWithNodeModulesCommittedInstallsNothing() throws IOException {
    write("package.json", "{\"dependencies\": {\"is-number\": \"7.0.0\"}}");
    write("package-lock.json", "{}");
    write("node_modules/is-number/index.js", "");
    write("index.js", "");
    assertThat(new NodeStack(CATALOG.node()).containerfile(source))
        .isEqualTo(
            """
            FROM localhost/node-run:1
            WORKDIR /app
            ENV NODE_ENV=production PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["node", "index.js"]
            COPY . /app
            """);
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
