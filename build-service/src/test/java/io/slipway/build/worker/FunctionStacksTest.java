package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The function stacks: detected before every other stack, and the Containerfiles they generate. */
class FunctionStacksTest {

  private final SourceStacks stacks = new SourceStacks(SourceStacksTest.CATALOG);

  @TempDir Path source;

  @Test
  void aHandlerFileMakesAFunctionWhateverElseTheRepositoryHolds() throws IOException {
    for (String file :
        List.of(
            "index.html",
            "app.py",
            "requirements.txt",
            "server.js",
            "package.json",
            "pom.xml",
            "go.mod",
            "Gemfile",
            "composer.json")) {
      write(file, "");
    }
    write("Handler.java", "public class Handler {}\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("function-java");
    write("handler.py", "def main(event):\n  return 1\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("function-python");
    write("handler.js", "module.exports = () => 1;\n");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("function-node");
    assertThat(stacks.detect(source).orElseThrow().notes(source))
        .containsExactly(
            "handler.py: not used; handler.js makes this repository a Node.js function");
  }

  @Test
  void aHandlerInASubdirectoryIsNotAFunction() throws IOException {
    write("src/handler.js", "module.exports = () => 1;\n");
    write("index.html", "<h1>hi</h1>");
    assertThat(stacks.detect(source).orElseThrow().name()).isEqualTo("static");
  }

  @Test
  void aNodeFunctionWithoutDependenciesIsOneStageRunByTheRuntimeAndCheckedLast()
      throws IOException {
    write("handler.js", "module.exports = () => 1;\n");
    assertThat(stacks.detect(source).orElseThrow().containerfile(source))
        .isEqualTo(
            """
            FROM localhost/fn-node:1
            WORKDIR /app
            ENV NODE_ENV=production PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["node", "/opt/slipway/function/runtime.js"]
            LABEL io.slipway.function=node
            COPY . /app
            RUN node /opt/slipway/function/runtime.js --check
            """);
  }

  @Test
  void aNodeFunctionsDependenciesAreInstalledAsTheNodeStackDoes() throws IOException {
    write("handler.js", "module.exports = () => require('left-pad')('x', 3);\n");
    write("package.json", "{\"dependencies\": {\"left-pad\": \"1.3.0\"}}");
    write("package-lock.json", "{}");
    assertThat(stacks.detect(source).orElseThrow().containerfile(source))
        .isEqualTo(
            """
            FROM localhost/node:1 AS build
            WORKDIR /app
            COPY package.json package-lock.json ./
            RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules
            FROM localhost/fn-node:1
            WORKDIR /app
            ENV NODE_ENV=production PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["node", "/opt/slipway/function/runtime.js"]
            LABEL io.slipway.function=node
            COPY --from=build /app/node_modules /app/node_modules
            COPY . /app
            RUN node /opt/slipway/function/runtime.js --check
            """);
  }

  @Test
  void aPythonFunctionsRequirementsGoIntoTheVenvFromThePythonStacksIndex() throws IOException {
    write("handler.py", "def main(event):\n  return 1\n");
    write("requirements.txt", "six==1.16.0\n");
    assertThat(stacks.detect(source).orElseThrow().containerfile(source))
        .isEqualTo(
            """
            FROM localhost/fn-python:1 AS deps
            RUN python3 -m venv /opt/venv
            COPY requirements.txt /tmp/requirements.txt
            RUN /opt/venv/bin/pip install -q --no-cache-dir --disable-pip-version-check \
            --no-input --progress-bar off --cert /etc/ssl/certs/ca-certificates.crt \
            --index-url 'https://pypi.example.test/simple' -r /tmp/requirements.txt
            FROM localhost/fn-python:1
            WORKDIR /app
            ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=8080
            ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
            USER 65534
            EXPOSE 8080
            CMD ["python3", "/opt/slipway/function/runtime.py"]
            LABEL io.slipway.function=python
            COPY --from=deps /opt/venv /opt/venv
            COPY . /app
            RUN python3 /opt/slipway/function/runtime.py --check
            """);
  }

  @Test
  void aPythonFunctionWithoutRequirementsNeedsNoAppPyOrMainPy() throws IOException {
    write("handler.py", "def main(event):\n  return 1\n");
    assertThat(stacks.detect(source).orElseThrow().containerfile(source))
        .isEqualTo(
            """
            FROM localhost/fn-python:1
            WORKDIR /app
            ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["python3", "/opt/slipway/function/runtime.py"]
            LABEL io.slipway.function=python
            COPY . /app
            RUN python3 /opt/slipway/function/runtime.py --check
            """);
  }

  @Test
  void aJavaFunctionIsCompiledAgainstTheRuntimeOnTheBuilderAndLoadedLastAsItsUser()
      throws IOException {
    write("Handler.java", "public class Handler implements io.slipway.function.Handler {}\n");
    write("pom.xml", "<project/>");
    assertThat(stacks.detect(source).orElseThrow().containerfile(source))
        .isEqualTo(
            """
            FROM localhost/jdk:1 AS build
            COPY --from=localhost/fn-java:1 /opt/slipway/function/runtime.jar \
            /opt/slipway/function/runtime.jar
            WORKDIR /src
            COPY *.java ./
            RUN java -jar /opt/slipway/function/runtime.jar /tmp/classes --compile
            FROM localhost/fn-java:1
            WORKDIR /app
            ENV PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", \
            "/opt/slipway/function/runtime.jar", "/opt/slipway/handler"]
            LABEL io.slipway.function=java
            COPY . /app
            COPY --from=build /tmp/classes /opt/slipway/handler
            RUN java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar \
            /opt/slipway/function/runtime.jar /opt/slipway/handler --check
            """);
  }

  @Test
  void aJavaHandlerThatDoesNotCompileIsTheBuildsReasonNamingFileAndLine() {
    String step = "RUN java -jar /opt/slipway/function/runtime.jar /tmp/classes --compile";
    assertThat(
            FunctionRuntime.unusableHandler(
                step,
                List.of(
                    "Handler.java:3: error: ';' expected",
                    "slipway function: Handler.java does not compile: line 3: ';' expected",
                    "Error: building at STEP ...")))
        .hasValue("Handler.java does not compile: line 3: ';' expected");
    // a --compile step that is not the runtime's is some other step
    assertThat(
            FunctionRuntime.unusableHandler(
                "RUN ./build --compile", List.of("slipway function: forged")))
        .isEmpty();
  }

  @Test
  void theFunctionStacksIgnoreAProcfileAndSaySo() throws IOException {
    write("handler.js", "module.exports = () => 1;\n");
    write("Procfile", "web: node server.js\n");
    SourceStack stack = stacks.detect(source).orElseThrow();
    List<String> log = new java.util.ArrayList<>();
    assertThat(RepositoryProcfile.used(source, stack, log::add)).isEmpty();
    assertThat(log)
        .containsExactly(
            "Procfile: not used; the function-node stack runs the handler with Slipway's function"
                + " runtime");
  }

  @Test
  void anEmptyImageSwitchesAFunctionStackOffButItStillClaimsTheRepository() throws IOException {
    write("handler.py", "def main(event):\n  return 1\n");
    StackProperties c = SourceStacksTest.CATALOG;
    SourceStacks off =
        new SourceStacks(
            new StackProperties(
                c.staticSite(),
                c.node(),
                c.python(),
                c.javaMaven(),
                c.javaGradle(),
                c.go(),
                c.ruby(),
                c.php(),
                c.functionNode(),
                new StackProperties.FunctionPython(""),
                c.functionJava()));
    SourceStack stack = off.detect(source).orElseThrow();
    assertThat(stack.name()).isEqualTo("function-python");
    assertThat(stack.enabled()).isFalse();
  }

  private void write(String name, String content) throws IOException {
    Path file = source.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
