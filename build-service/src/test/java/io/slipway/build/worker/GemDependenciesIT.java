package io.slipway.build.worker;

import static io.slipway.build.support.BuildLogs.cachedStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.RunningApp;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestGemSource;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The ruby stack's gem install in real sandboxed builds through the egress proxy, on the stack
 * images {@code ./slipway test} makes: the gems a Gemfile.lock names (its source rubygems.org, as
 * apps write it) come from the platform's gem source, here a gem server of the test's own at an
 * allow-listed private address ({@link TestGemSource}, set as Bundler's mirror of rubygems.org,
 * which is not reachable here); the app requires them; a push that changes only code installs
 * nothing again; with egress off the install fails naming the network, and gems committed in {@code
 * vendor/cache} build without it.
 */
class GemDependenciesIT extends BuildServiceTest {

  private static final TestGemSource.Gem GEM =
      new TestGemSource.Gem(
          "tiny_greeting",
          "1.0.0",
          """
          module TinyGreeting
            def self.greet(name) = "greetings from tiny_greeting 1.0.0, #{name}"
          end
          """);
  private static final TestGemSource SOURCE = new TestGemSource();

  private static final String GEMFILE =
      "source \"https://rubygems.org\"\n\ngem \"tiny_greeting\", \"1.0.0\"\n";

  /** What {@code bundle lock} wrote for {@link #GEMFILE} against the test's gem source. */
  private static final String LOCK =
      """
      GEM
        remote: https://rubygems.org/
        specs:
          tiny_greeting (1.0.0)

      PLATFORMS
        x86_64-linux

      DEPENDENCIES
        tiny_greeting (= 1.0.0)

      BUNDLED WITH
         2.3.15
      """;

  @TempDir Path work;
  private GitCli git;

  @DynamicPropertySource
  static void gemSource(DynamicPropertyRegistry registry) {
    registry.add("slipway.build.egress.allowed-cidrs", SOURCE::cidr);
    registry.add("slipway.build.stacks.ruby.gem-source", SOURCE::url);
  }

  @BeforeAll
  static void startGemSource(@TempDir Path dir) throws Exception {
    SOURCE.open(dir, GEM);
  }

  @AfterAll
  static void stopGemSource() {
    SOURCE.close();
  }

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
  }

  @Test
  void lockedGemsAreInstalledOnceAndTheAppRequiresThem() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("ruby"),
            Map.of("Gemfile", GEMFILE, "Gemfile.lock", LOCK, "app.rb", rubyApp("first")));

    long cold = System.nanoTime();
    JsonNode first = push(tenant, repo, 1);
    cold = System.nanoTime() - cold;

    String log = tenant.log(baseUrl(), 1);
    assertThat(first.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(SOURCE.requests()).contains("/gems/tiny_greeting-1.0.0.gem");
    assertThat(cachedStep(log, "bundle install")).as(log).isFalse();
    try (RunningApp app = new RunningApp(first.path("image").asString())) {
      assertThat(app.page()).isEqualTo("first: greetings from tiny_greeting 1.0.0, ruby\n");
    }

    // a push that changes only code: the install's layer is reused, nothing is fetched again
    int asked = SOURCE.requests().size();
    Files.writeString(repo.resolve("app.rb"), rubyApp("second"));
    commit(repo);
    long warm = System.nanoTime();
    JsonNode second = push(tenant, repo, 2);
    warm = System.nanoTime() - warm;

    String warmLog = tenant.log(baseUrl(), 2);
    assertThat(second.path("status").asString()).as(warmLog).isEqualTo("succeeded");
    assertThat(SOURCE.requests()).as("requests to the gem source").hasSize(asked);
    assertThat(cachedStep(warmLog, "bundle install")).as(warmLog).isTrue();
    try (RunningApp app = new RunningApp(second.path("image").asString())) {
      assertThat(app.page()).isEqualTo("second: greetings from tiny_greeting 1.0.0, ruby\n");
    }
    System.out.printf(
        "ruby with one gem, push to image: cold %d ms (build stage %s), warm %d ms (%s)%n",
        cold / 1_000_000, first.path("stages"), warm / 1_000_000, second.path("stages"));
  }

  @Test
  void gemsWithEgressOffFailNamingTheNetwork() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    egressOff(tenant);
    int asked = SOURCE.requests().size();
    Path repo =
        git.newRepository(
            work.resolve("offline"),
            Map.of("Gemfile", GEMFILE, "Gemfile.lock", LOCK, "app.rb", rubyApp("offline")));

    JsonNode build = push(tenant, repo, 1);

    assertThat(build.path("status").asString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .startsWith("the step `RUN bundle config set --global mirror.https://rubygems.org")
        .contains("needed the network and could not reach it: build egress is off for this tenant")
        .contains("egress refused: build egress is off for this tenant");
    assertThat(SOURCE.requests()).hasSize(asked);
  }

  @Test
  void gemsCommittedInVendorCacheBuildWithEgressOff() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    egressOff(tenant);
    int asked = SOURCE.requests().size();
    Path repo = Files.createDirectories(work.resolve("cached"));
    Files.copy(
        SOURCE.gemFile(GEM),
        Files.createDirectories(repo.resolve("vendor/cache")).resolve("tiny_greeting-1.0.0.gem"));
    git.newRepository(
        repo, Map.of("Gemfile", GEMFILE, "Gemfile.lock", LOCK, "app.rb", rubyApp("cached")));

    JsonNode build = push(tenant, repo, 1);

    String log = tenant.log(baseUrl(), 1);
    assertThat(build.path("status").asString()).as(log).isEqualTo("succeeded");
    assertThat(log).contains("bundle install --local").doesNotContain("egress refused");
    assertThat(SOURCE.requests()).hasSize(asked);
    try (RunningApp app = new RunningApp(build.path("image").asString())) {
      assertThat(app.page()).isEqualTo("cached: greetings from tiny_greeting 1.0.0, ruby\n");
    }
  }

  private static String rubyApp(String marker) {
    return """
        require "socket"
        require "tiny_greeting"
        body = "%s: #{TinyGreeting.greet("ruby")}\\n"
        server = TCPServer.new("0.0.0.0", Integer(ENV.fetch("PORT")))
        loop do
          client = server.accept
          nil until ["\\r\\n", nil].include?(client.gets)
          client.write("HTTP/1.1 200 OK\\r\\nContent-Length: #{body.bytesize}\\r\\n" \\
                       "Connection: close\\r\\n\\r\\n#{body}")
          client.close
        end
        """
        .formatted(marker);
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
    tenant.push(git, repo, port);
    JsonNode build = tenant.awaitEnded(baseUrl(), number);
    if (build.path("image").isString()) {
      images.add(build.path("image").asString());
    }
    return build;
  }
}
