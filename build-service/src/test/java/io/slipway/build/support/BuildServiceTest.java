package io.slipway.build.support;

import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import io.slipway.testing.TestPostgres;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The whole build-service on a random port, on its own real PostgreSQL database, talking to the
 * real tenant-service (its jar, run by {@link TestTenantService}) and the test run's Keycloak. Test
 * classes share one application; each test makes its own tenant.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// tests push builds that they then watch, cancel or kill while they run: a push returns once its
// build is queued (PushFollowIT, whose own property wins, follows pushes as the platform does)
// build-service copies a platform image into the sandboxes' store when a build first names it, not
// every stack at start-up (PlatformImagesAtStartupIT does)
@TestPropertySource(
    properties = {
      "slipway.build.follow-pushes=false",
      "slipway.build.sandbox.prepare-platform-images=false"
    })
public abstract class BuildServiceTest {

  private static final String DATABASE = TestPostgres.newDatabase();
  protected static final Path DATA_DIR = dataDir("slipway-build-test-data");

  /** Every image the tests build is named below this, so that cleaning up is easy. */
  protected static final String IMAGE_PREFIX = "localhost/slipway-build-test";

  /** The static-site stack's base image, as the test configuration names it. */
  protected static final String STATIC_BASE_IMAGE = IMAGE_PREFIX + "/stack-static:1";

  /**
   * A RUN step's command in exec form (what follows {@code RUN} and its options) that runs {@code
   * script} with the static stack's busybox sh and lingers half a second before it ends, keeping
   * the script's exit status. buildah 1.39 (the builder image's) with chroot isolation now and then
   * loses the whole output of a RUN step that ends at once, under load (measured here: about 1 step
   * in 100 with three builds side by side; the step runs all the same, and a step that lingers lost
   * none in 450): a test that reads a step's output gives buildah the time to copy it.
   */
  protected static String shellStep(String script) {
    String lingering = "trap '/bin/busybox sleep 0.5' EXIT; " + script;
    return "[\"/bin/busybox\", \"sh\", \"-c\", \"" + lingering.replace("\"", "\\\"") + "\"]";
  }

  @LocalServerPort protected int port;

  /** The images a test built, removed after it. */
  protected final List<String> images = new ArrayList<>();

  @AfterEach
  void removeImages() {
    images.forEach(image -> Commands.run("buildah", "rmi", "-f", image));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestKeycloak::issuer);
    registry.add("slipway.build.oidc-issuer", TestKeycloak::issuer);
    registry.add(
        "slipway.build.client-secret", () -> TestKeycloak.serviceClientSecret("build-service"));
    registry.add("slipway.build.tenant-api-url", TestTenantService::url);
    registry.add("slipway.build.data-dir", DATA_DIR::toString);
    registry.add("slipway.build.public-url", () -> "http://builds.example.test");
    // a trailing slash, as an operator may write it: the printed build page has none doubled
    registry.add("slipway.build.portal-url", () -> "https://portal.example.test/");
    registry.add("slipway.build.image-prefix", () -> IMAGE_PREFIX);
    registry.add("slipway.build.poll-interval", () -> "100ms");
    registry.add("slipway.build.max-push-size", () -> "8MB");
    // webhook tests use local "external" repositories
    registry.add("slipway.build.external-git-schemes", () -> "https,file");
    // seals forge tokens of commit status: 32 bytes, base64
    registry.add("slipway.build.secret-key", () -> "c2xpcHdheS1idWlsZC10ZXN0LWtleS0zMi1ieXRlcyE=");
    // built from /bin/busybox by StaticSiteBuildIT
    registry.add("slipway.build.stacks.static.base-image", () -> STATIC_BASE_IMAGE);
  }

  protected String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * A data directory for a build-service, removed when the JVM ends (or, when that JVM was halted
   * first, by the next JVM that makes one), after its warm builders (no later run starts on this
   * data again, so nothing else would remove them) and after the tenants' build stores in it are
   * unmounted: the service unmounts them when its context closes, in a hook of its own that may
   * come second, and a mounted store's directory cannot be removed.
   */
  protected static Path dataDir(String prefix) {
    try {
      return TestPlatform.ownedWork(
          prefix + "-",
          dir -> {
            TestPlatform.removeWarmBuilders(dir);
            TestPlatform.deleteWork(dir);
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> FileSystemUtils.deleteRecursively(dir.toFile())));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new git repository in {@code dir}/site whose Containerfile makes a one-file image from {@code
   * /bin/busybox}, run as 65534: the smallest image a build can push.
   */
  protected static Path busyboxRepository(GitCli git, Path dir) throws IOException {
    Path repo = Files.createDirectories(dir.resolve("site"));
    Files.copy(Path.of("/bin/busybox"), repo.resolve("busybox"));
    git.newRepository(
        repo,
        java.util.Map.of(
            "Containerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nUSER 65534\nCMD [\"/bin/busybox\"]\n"));
    return repo;
  }
}
