package io.slipway.runtime.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.governance.ImageGovernance;
import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.image.SourceImage;
import io.slipway.governance.policy.ImageReference;
import io.slipway.governance.sbom.CycloneDx;
import io.slipway.governance.sbom.Sbom;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.governance.signing.Keyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What admission needs around the bridge in the API tests: the platform keyring, another keyring
 * nobody trusts, the kept advisory files, test images, and a stand-in for build-service's internal
 * API that serves what the real governance library made: by digest ({@code GET
 * /api/v1/internal/images/{digest}}) the SBOM ({@code describe} with the real skopeo) and the
 * signature ({@code sign}); the platform keyring's trusted public keys ({@code
 * /api/v1/internal/signing-keys}); and the advisory files from a cursor ({@code
 * /api/v1/internal/advisories}). build-service's own endpoints are tested in build-service.
 */
final class GovernanceFixture {

  static final String IMAGE_PREFIX = "localhost/slwtest-rt-gov";

  /**
   * Where the tests' platform names the images it builds ({@code <prefix>/<tenant>/...}): only the
   * tenant an image was built for may deploy it. The tests' own images are named apart from it.
   */
  static final String BUILD_IMAGE_PREFIX = "localhost/slwtest-rt-builds";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path ROOT = tempDir();
  static final Path ADVISORIES = ROOT.resolve("advisories");
  static final Keyring PLATFORM = keyring(ROOT.resolve("keys"));
  static final Keyring STRANGER = keyring(ROOT.resolve("stranger-keys"));
  private static final ImageGovernance GOVERNANCE =
      new ImageGovernance(
          new ImageReader(ROOT, Duration.ofMinutes(2)),
          new AdvisoryDatabase(),
          PLATFORM,
          Clock.systemUTC());
  private static final Map<String, String> ATTESTATIONS = new ConcurrentHashMap<>();
  private static final Set<String> CALLERS = ConcurrentHashMap.newKeySet();
  private static final Set<String> IMAGES = ConcurrentHashMap.newKeySet();
  private static final HttpServer BUILD_SERVICE = startBuildService();

  private GovernanceFixture() {}

  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "slipway.runtime.admission.build-api-url",
        () -> "http://127.0.0.1:" + BUILD_SERVICE.getAddress().getPort());
    // keys and advisories asked at every admission: a test's new advisory counts at once
    registry.add("slipway.runtime.admission.governance-refresh", () -> "0s");
    registry.add("slipway.runtime.admission.floor.require-signed", () -> "false");
    registry.add("slipway.runtime.admission.floor.max-severity", () -> "CRITICAL");
    registry.add("slipway.runtime.admission.build-image-prefix", () -> BUILD_IMAGE_PREFIX);
    // running images are checked again when a test says (PolicyWatch.check), never in between
    registry.add("slipway.runtime.admission.recheck-interval", () -> "1h");
  }

  /** The {@code azp} of every token the stand-in was called with. */
  static Set<String> callers() {
    return CALLERS;
  }

  /**
   * Builds a busybox httpd image answering {@code body}, with {@code files} (path in the image to
   * content) added, under {@code name} ({@code IMAGE_PREFIX-...:tag}).
   */
  static String build(String name, String body, Map<String, String> files) {
    try {
      Path dir = Files.createTempDirectory(ROOT, "context");
      Files.createDirectories(dir.resolve("www"));
      Files.writeString(dir.resolve("www/index.html"), body);
      Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
      StringBuilder copies = new StringBuilder();
      int i = 0;
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(dir.resolve("f" + i), file.getValue());
        copies.append("COPY f").append(i).append(' ').append(file.getKey()).append('\n');
        i++;
      }
      Files.writeString(
          dir.resolve("Containerfile"),
          "FROM scratch\nCOPY busybox /bin/busybox\nCOPY www /www\n"
              + copies
              + "USER 65534\n"
              + "CMD [\"/bin/busybox\",\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]\n");
      run("buildah", "bud", "-q", "-t", name, dir.toString());
      IMAGES.add(name);
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives an image a second name (so it keeps its repository when its first tag moves). */
  static void tag(String image, String newName) {
    run("podman", "tag", image, newName);
    IMAGES.add(newName);
  }

  /**
   * What build-service does after a build: describes the image, signs its digest with {@code
   * keyring}, and serves both by digest. Returns the digest.
   */
  static String attest(String image, Keyring keyring) {
    Sbom sbom = GOVERNANCE.describe(SourceImage.local(image));
    String digest = sbom.manifestDigest();
    serve(
        digest,
        image,
        keyring.sign(ImageReference.parse(image).repository(), digest),
        CycloneDx.write(sbom));
    return digest;
  }

  /** Serves an attestation for {@code digest}, as build-service would. */
  static void serve(String digest, String image, ImageSignature signature, byte[] sbom) {
    ObjectNode body = JSON.createObjectNode();
    body.put("digest", digest);
    body.put("reference", image);
    body.set("signature", JSON.valueToTree(signature));
    body.set("sbom", JSON.readTree(sbom));
    ATTESTATIONS.put(digest, body.toString());
  }

  /** The stored signature of a digest, as served. */
  static ImageSignature signatureOf(String digest) {
    return JSON.treeToValue(
        JSON.readTree(ATTESTATIONS.get(digest)).get("signature"), ImageSignature.class);
  }

  static byte[] sbomOf(String digest) {
    return JSON.writeValueAsBytes(JSON.readTree(ATTESTATIONS.get(digest)).get("sbom"));
  }

  /** Keeps an OSV record the way build-service keeps an admin's import: a new file it serves. */
  static void advisory(String fileName, String osvJson) {
    try {
      Files.createDirectories(ADVISORIES);
      Path temporary = Files.createTempFile(ROOT, "osv", ".tmp");
      Files.writeString(temporary, osvJson);
      Files.move(temporary, ADVISORIES.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void removeImages() {
    IMAGES.forEach(image -> runQuietly("podman", "rmi", "-f", image));
    IMAGES.clear();
  }

  private static HttpServer startBuildService() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/api/v1/internal/images/",
          exchange ->
              answer(
                  exchange,
                  "application/json",
                  () -> {
                    String digest =
                        exchange
                            .getRequestURI()
                            .getPath()
                            .substring("/api/v1/internal/images/".length());
                    String body = ATTESTATIONS.get(digest);
                    return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
                  }));
      server.createContext(
          "/api/v1/internal/signing-keys",
          exchange -> answer(exchange, "application/json", GovernanceFixture::trustedKeys));
      server.createContext(
          "/api/v1/internal/advisories",
          exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/api/v1/internal/advisories/")) {
              Path file = ADVISORIES.resolve(path.substring(path.lastIndexOf('/') + 1));
              answer(
                  exchange,
                  "application/octet-stream",
                  () -> Files.isRegularFile(file) ? Files.readAllBytes(file) : null);
            } else {
              answer(
                  exchange,
                  "application/json",
                  () -> advisoryFiles(exchange.getRequestURI().getQuery()));
            }
          });
      server.start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.stop(0);
                    removeImages();
                    FileSystemUtils.deleteRecursively(ROOT.toFile());
                  }));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface Body {
    /** The answer's body, or null for a 404. */
    byte[] get() throws IOException;
  }

  /** A 403 for any caller but runtime-bridge's token, else the body (or 404). */
  private static void answer(HttpExchange exchange, String contentType, Body body)
      throws IOException {
    String azp = azp(exchange.getRequestHeaders().getFirst("Authorization"));
    CALLERS.add(String.valueOf(azp));
    byte[] bytes = "runtime-bridge".equals(azp) ? body.get() : null;
    int status = !"runtime-bridge".equals(azp) ? 403 : bytes == null ? 404 : 200;
    if (status != 200) {
      bytes = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
      contentType = "application/json";
    }
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** The platform keyring's trusted public keys, as build-service lists them. */
  private static byte[] trustedKeys() {
    ArrayNode keys = JSON.createArrayNode();
    for (String id : PLATFORM.trustedKeyIds()) {
      keys.addObject().put("keyId", id).put("publicKeyPem", PLATFORM.publicKeyPem(id));
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("keys", keys);
    return JSON.writeValueAsBytes(body);
  }

  /** The kept files after the {@code after=} cursor of {@code query}, in import order. */
  private static byte[] advisoryFiles(String query) throws IOException {
    String after =
        query == null || !query.startsWith("after=")
            ? ""
            : URLDecoder.decode(query.substring("after=".length()), StandardCharsets.UTF_8);
    ArrayNode files = JSON.createArrayNode();
    if (Files.isDirectory(ADVISORIES)) {
      try (Stream<Path> kept = Files.list(ADVISORIES)) {
        for (Path file : kept.sorted().toList()) {
          String name = file.getFileName().toString();
          if (name.compareTo(after) > 0) {
            files.addObject().put("name", name).put("size", Files.size(file));
          }
        }
      }
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("revision", "stand-in");
    body.set("files", files);
    return JSON.writeValueAsBytes(body);
  }

  /** The bearer token's {@code azp} claim (the stand-in trusts the bridge to send a real one). */
  private static String azp(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    String[] parts = authorization.substring(7).split("\\.");
    if (parts.length != 3) {
      return null;
    }
    return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("azp").asString(null);
  }

  private static Keyring keyring(Path dir) {
    try {
      return Keyring.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("slwtest-rt-gov-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void runQuietly(String... command) {
    try {
      run(command);
    } catch (RuntimeException e) {
      // best effort at the end of the run
    }
  }
}
