package io.slipway.build.worker;

import static io.slipway.build.support.BuildLogs.cachedStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.RunningApp;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.NamespaceHost;
import io.slipway.testing.PackageIndex;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The node, python and java-gradle stacks' dependency installs in real sandboxed builds through the
 * egress proxy, on the stack images {@code ./slipway test} makes: what is installed runs, a push
 * that changes only code installs nothing again, and what needs no network builds without it.
 * Python packages come from an index of the test's own in a network namespace at an allow-listed
 * private address (the public index is not reachable here), npm packages from the npm registry,
 * Gradle's from Maven Central.
 */
class StackDependenciesIT extends BuildServiceTest {

  private static final NamespaceHost HOST = new NamespaceHost("slwdep", 1);
  private static final String INDEX = HOST.privateAddress(2);
  private static final String PROJECT = "tiny-greeting";

  /** The Gradle step that resolves the dependencies (the init script's step names the task too). */
  private static final String GRADLE_DEPENDENCIES =
      "-I /tmp/slipway-init.gradle slipwayDependencies";

  private static PackageIndex index;
  private static String wheel;

  @TempDir Path work;
  private GitCli git;

  @DynamicPropertySource
  static void packageIndex(DynamicPropertyRegistry registry) {
    registry.add("slipway.build.egress.allowed-cidrs", () -> INDEX + "/32");
    registry.add("slipway.build.stacks.python.index-url", () -> "http://" + INDEX + "/simple/");
  }

  @BeforeAll
  static void startIndex(@TempDir Path dir) throws Exception {
    HOST.open();
    index = new PackageIndex(dir);
    wheel =
        index.add(
            PROJECT,
            "1.0",
            PackageIndex.wheel(
                PROJECT,
                "1.0",
                Map.of(
                    "tiny_greeting/__init__.py",
                    "def greet(name):\n    return 'greetings from tiny-greeting 1.0, ' + name\n")));
    index.serve(HOST, INDEX);
  }

  @AfterAll
  static void stopIndex() {
    HOST.close();
  }

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
  }

  @Test
  void pythonRequirementsAreInstalledOnceAndTheAppImportsThem() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    int before = index.requests().size();
    Path repo =
        git.newRepository(
            work.resolve("python"),
            Map.of("requirements.txt", PROJECT + "==1.0\n", "app.py", pythonApp("first")));

    JsonNode first = push(tenant, repo, 1);

    String log = tenant.log(baseUrl(), 1);
    assertThat(first.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(index.requests().subList(before, index.requests().size()))
        .containsExactly("/simple/" + PROJECT + "/", "/files/" + wheel);
    assertThat(cachedStep(log, "pip install")).as(log).isFalse();
    try (RunningApp app = new RunningApp(first.path("image").asString())) {
      assertThat(app.page()).isEqualTo("first: greetings from tiny-greeting 1.0, python\n");
    }

    // a push that changes only code: the install's layer is reused, nothing is fetched again
    Files.writeString(repo.resolve("app.py"), pythonApp("second"));
    commit(repo);
    JsonNode second = push(tenant, repo, 2);

    String warmLog = tenant.log(baseUrl(), 2);
    assertThat(second.path("status").asString()).as(warmLog).isEqualTo("succeeded");
    assertThat(index.requests()).as("requests to the index").hasSize(before + 2);
    assertThat(cachedStep(warmLog, "pip install")).as(warmLog).isTrue();
    try (RunningApp app = new RunningApp(second.path("image").asString())) {
      assertThat(app.page()).isEqualTo("second: greetings from tiny-greeting 1.0, python\n");
    }
  }

  @Test
  void pythonRequirementsWithEgressOffFailNamingTheNetwork() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    egressOff(tenant);
    int before = index.requests().size();
    Path repo =
        git.newRepository(
            work.resolve("offline"),
            Map.of("requirements.txt", PROJECT + "==1.0\n", "app.py", pythonApp("offline")));

    JsonNode build = push(tenant, repo, 1);

    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .startsWith("the step `RUN /opt/venv/bin/pip install")
        .contains("needed the network and could not reach it: build egress is off for this tenant")
        .contains("egress refused: build egress is off for this tenant");
    assertThat(index.requests()).hasSize(before);
  }

  @Test
  void pythonWithItsWheelsCommittedBuildsWithEgressOff() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    egressOff(tenant);
    int before = index.requests().size();
    Path repo = Files.createDirectories(work.resolve("wheels"));
    Files.writeString(repo.resolve("requirements.txt"), PROJECT + "==1.0\n");
    Files.writeString(repo.resolve("app.py"), pythonApp("committed"));
    Files.write(
        Files.createDirectories(repo.resolve("wheels")).resolve(wheel),
        Files.readAllBytes(index.file(wheel)));
    git.newRepository(repo, Map.of());

    JsonNode build = push(tenant, repo, 1);

    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log)
        .contains("--no-index --find-links /tmp/wheels")
        .doesNotContain("egress refused");
    assertThat(index.requests()).hasSize(before);
    try (RunningApp app = new RunningApp(build.path("image").asString())) {
      assertThat(app.page()).isEqualTo("committed: greetings from tiny-greeting 1.0, python\n");
    }
  }

  @Test
  void nodeWithNodeModulesCommittedBuildsWithEgressOff() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    egressOff(tenant);
    Path repo =
        git.newRepository(
            work.resolve("vendored"),
            Map.of(
                "package.json",
                "{\"name\": \"vendored\", \"dependencies\": {\"greeting\": \"1.0.0\"}}",
                "package-lock.json",
                "{\"lockfileVersion\": 3, \"packages\": {}}",
                "node_modules/greeting/package.json",
                "{\"name\": \"greeting\", \"version\": \"1.0.0\"}",
                "node_modules/greeting/index.js",
                "module.exports = (name) => 'greetings from a committed module, ' + name;\n",
                "index.js",
                nodeApp("require('greeting')('node')")));

    JsonNode build = push(tenant, repo, 1);

    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log).doesNotContain("npm ");
    try (RunningApp app = new RunningApp(build.path("image").asString())) {
      assertThat(app.page()).isEqualTo("greetings from a committed module, node\n");
    }
  }

  @Test
  void nodeWithALockfileRunsNpmCiOnceAcrossACodeOnlyPush() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("locked"),
            Map.of(
                "package.json",
                """
                {"name": "locked", "version": "1.0.0", "dependencies": {"is-number": "7.0.0"}}
                """,
                "package-lock.json",
                """
                {
                  "name": "locked",
                  "version": "1.0.0",
                  "lockfileVersion": 3,
                  "requires": true,
                  "packages": {
                    "": {"name": "locked", "version": "1.0.0", "dependencies": {"is-number": "7.0.0"}},
                    "node_modules/is-number": {
                      "version": "7.0.0",
                      "resolved": "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz",
                      "integrity": "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==",
                      "engines": {"node": ">=0.12.0"}
                    }
                  }
                }
                """,
                "index.js",
                nodeApp("'first: ' + require('is-number')(42)")));

    JsonNode first = push(tenant, repo, 1);

    String log = tenant.log(baseUrl(), 1);
    assertThat(first.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log).contains("added 1 package");
    assertThat(cachedStep(log, "npm ci")).as(log).isFalse();
    Files.writeString(repo.resolve("index.js"), nodeApp("'second: ' + require('is-number')(42)"));
    commit(repo);

    JsonNode second = push(tenant, repo, 2);

    String warmLog = tenant.log(baseUrl(), 2);
    assertThat(second.path("status").asString()).as(warmLog).isEqualTo("succeeded");
    assertThat(cachedStep(warmLog, "npm ci")).as(warmLog).isTrue();
    assertThat(warmLog).doesNotContain("added 1 package");
    try (RunningApp app = new RunningApp(second.path("image").asString())) {
      assertThat(app.page()).isEqualTo("second: true\n");
    }
  }

  @Test
  void gradleDependenciesAreResolvedOnceAcrossACodeOnlyPushAndTheWrapperIsNotRun()
      throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("gradle"),
            Map.of(
                "build.gradle",
                """
                apply plugin: 'java'
                apply plugin: 'application'
                mainClassName = 'Hello'
                repositories { mavenCentral() }
                dependencies { implementation 'org.apache.commons:commons-lang3:3.14.0' }
                """,
                "settings.gradle",
                "rootProject.name = 'greeter'\n",
                "gradlew",
                "#!/bin/sh\necho the wrapper ran; exit 1\n",
                "src/main/java/Hello.java",
                javaApp("first")));

    JsonNode first = push(tenant, repo, 1, Duration.ofMinutes(5));

    String log = tenant.log(baseUrl(), 1);
    assertThat(first.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log)
        .contains("java-gradle stack: the Gradle wrapper is not run")
        .doesNotContain("the wrapper ran");
    assertThat(cachedStep(log, GRADLE_DEPENDENCIES)).as(log).isFalse();
    try (RunningApp app = new RunningApp(first.path("image").asString())) {
      assertThat(app.page()).isEqualTo("First: commons-lang3\n");
    }

    // a push that changes only code: the dependencies' layer is reused, the sources built again
    Files.writeString(repo.resolve("src/main/java/Hello.java"), javaApp("second"));
    commit(repo);
    JsonNode second = push(tenant, repo, 2, Duration.ofMinutes(5));

    String warmLog = tenant.log(baseUrl(), 2);
    assertThat(second.path("status").asString()).as(warmLog).isEqualTo("succeeded");
    assertThat(cachedStep(warmLog, GRADLE_DEPENDENCIES)).as(warmLog).isTrue();
    assertThat(cachedStep(warmLog, "-I /tmp/slipway-init.gradle slipwayStage"))
        .as(warmLog)
        .isFalse();
    try (RunningApp app = new RunningApp(second.path("image").asString())) {
      assertThat(app.page()).isEqualTo("Second: commons-lang3\n");
    }
  }

  @Test
  void gradleWithEgressOffFailsNamingTheNetwork() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    egressOff(tenant);
    Path repo =
        git.newRepository(
            work.resolve("gradle-offline"),
            Map.of(
                "build.gradle",
                """
                apply plugin: 'application'
                mainClassName = 'Hello'
                repositories { mavenCentral() }
                dependencies { implementation 'org.apache.commons:commons-lang3:3.14.0' }
                """,
                "src/main/java/Hello.java",
                javaApp("offline")));

    JsonNode build = push(tenant, repo, 1, Duration.ofMinutes(5));

    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .as(log)
        .contains("slipwayStage")
        .contains("needed the network and could not reach it: build egress is off for this tenant");
  }

  private static String pythonApp(String marker) {
    return """
        import os, http.server, tiny_greeting
        body = ('%s: ' + tiny_greeting.greet('python') + '\\n').encode()
        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        http.server.HTTPServer(('0.0.0.0', int(os.environ['PORT'])), Page).serve_forever()
        """
        .formatted(marker);
  }

  /** A page that a class of commons-lang3 (from Maven Central) writes. */
  private static String javaApp(String marker) {
    return """
        import com.sun.net.httpserver.HttpServer;
        import java.net.InetSocketAddress;
        import org.apache.commons.lang3.StringUtils;
        public class Hello {
          public static void main(String[] args) throws Exception {
            byte[] body = (StringUtils.capitalize("%s") + ": commons-lang3\\n").getBytes();
            HttpServer server =
                HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 0);
            server.createContext("/", exchange -> {
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
            server.start();
          }
        }
        """
        .formatted(marker);
  }

  private static String nodeApp(String expression) {
    return "require('http').createServer((q, r) => r.end("
        + expression
        + " + '\\n')).listen(process.env.PORT);\n";
  }

  private void egressOff(Tenancy tenant) {
    Json.Response off =
        Json.put(
            tenant.owner.jwt(),
            baseUrl() + "/api/v1/tenants/" + tenant.tenant + "/build-egress",
            Map.of("enabled", false));
    assertThat(off.status()).as(off.body()).isEqualTo(200);
  }

  private void commit(Path repo) {
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "change the code only");
  }

  private JsonNode push(Tenancy tenant, Path repo, int number) {
    return push(tenant, repo, number, Duration.ofSeconds(120));
  }

  private JsonNode push(Tenancy tenant, Path repo, int number, Duration atMost) {
    tenant.push(git, repo, port);
    JsonNode build = tenant.awaitEnded(baseUrl(), number, atMost);
    if (build.path("image").isString()) {
      images.add(build.path("image").asString());
    }
    return build;
  }
}
