package io.slipway.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.governance.ImageGovernance;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.governance.signing.Keyring;
import io.slipway.kit.client.AppBuilds;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.problem.Problem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;

/**
 * Admission's keys and advisories come from build-service's API (issue 20): cached for the refresh
 * interval, asked again on an unknown key id, replayed from a cursor, and refused safely (no keys:
 * no signature is valid; build-service unreachable: a 503 that names no address).
 */
class GovernanceSourceTest {

  private static final String DIGEST = "sha256:" + "3a".repeat(32);
  private static final String REPOSITORY = "localhost/slipway/a/b";

  @TempDir Path tmp;
  private Keyring keyring;
  private FakeBuildService build;
  private MutableClock clock;
  private GovernanceSource source;

  @BeforeEach
  void setUp() throws IOException {
    keyring = Keyring.open(tmp.resolve("keys"));
    build = new FakeBuildService();
    clock = new MutableClock();
    source =
        new GovernanceSource(
            build, Duration.ofSeconds(30), new ImageReader(tmp, Duration.ofMinutes(1)), clock);
  }

  @Test
  void keysAreCachedForTheRefreshIntervalThenAskedAgain() {
    build.keys = served(keyring.activeKeyId());
    ImageSignature signature = keyring.sign(REPOSITORY, DIGEST);

    assertThat(source.current().verify(signature).valid()).isTrue();
    clock.advance(Duration.ofSeconds(29));
    assertThat(source.current().verify(signature).valid()).isTrue();
    assertThat(build.keyCalls).isEqualTo(1);

    build.keys = List.of(); // distrusted meanwhile
    assertThat(source.current().verify(signature).valid()).as("still cached").isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(source.current().verify(signature).valid()).as("asked again").isFalse();
    assertThat(build.keyCalls).isEqualTo(2);
  }

  @Test
  void anUnknownKeyIdAsksForTheKeysAgainAtMostEveryFewSeconds() throws IOException {
    build.keys = served(keyring.activeKeyId());
    source.current();
    keyring.rotate();
    ImageSignature rotated = keyring.sign(REPOSITORY, DIGEST);
    build.keys = served(keyring.trustedKeyIds().toArray(String[]::new));
    assertThat(source.knowing(rotated.keyId()).verify(rotated).valid())
        .as("just asked: not again within the gap")
        .isFalse();
    clock.advance(GovernanceSource.MISS_GAP);

    ImageGovernance known = source.knowing(rotated.keyId());
    assertThat(known.verify(rotated).valid()).isTrue();
    assertThat(build.keyCalls).isEqualTo(2);

    // a stranger's key id does not make every admission ask again
    clock.advance(GovernanceSource.MISS_GAP);
    source.knowing("ab".repeat(32));
    assertThat(build.keyCalls).isEqualTo(3);
    source.knowing("cd".repeat(32));
    assertThat(build.keyCalls).isEqualTo(3);
    clock.advance(GovernanceSource.MISS_GAP);
    source.knowing("cd".repeat(32));
    assertThat(build.keyCalls).isEqualTo(4);
  }

  @Test
  void noKeysServedMeansEverySignatureIsRefused() {
    build.keys = List.of();
    ImageSignature signature = keyring.sign(REPOSITORY, DIGEST);

    assertThat(source.current().verify(signature).valid()).isFalse();
    assertThat(source.cached().verify(signature).valid()).isFalse();
  }

  @Test
  void advisoriesAreReplayedFromTheLastFileImportedOnEveryUse() {
    build.keys = List.of();
    build.files.put("20260101T000000000-a.json", osv("SLW-1"));
    ImageGovernance first = source.current();
    String revision = first.advisoryRevision();
    assertThat(build.cursors).containsExactly((String) null);

    // an admin's import just now is seen by the next admission, not after a refresh interval
    build.files.put("20260102T000000000-b.json", osv("SLW-2"));
    String second = source.current().advisoryRevision();
    assertThat(second).isNotEqualTo(revision);
    assertThat(build.cursors).containsExactly(null, "20260101T000000000-a.json");
    // nothing new: asked from the cursor, nothing downloaded, the same revision
    assertThat(source.current().advisoryRevision()).isEqualTo(second);
    assertThat(build.cursors)
        .containsExactly(null, "20260101T000000000-a.json", "20260102T000000000-b.json");
    assertThat(build.downloads)
        .containsExactly("20260101T000000000-a.json", "20260102T000000000-b.json");
  }

  @Test
  void buildServiceUnreachableIsA503ThatNamesNoAddressAndCachedNeedsNoCall() {
    build.down = true;

    assertThatThrownBy(source::current)
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status().value()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
              assertThat(p.getMessage()).doesNotContain("10.0.0.9").contains("retry shortly");
            });
    assertThat(source.cached().verify(keyring.sign(REPOSITORY, DIGEST)).valid()).isFalse();
    assertThat(build.keyCalls).isEqualTo(1);
  }

  private List<BuildService.PublicKey> served(String... ids) {
    return List.of(ids).stream()
        .map(id -> new BuildService.PublicKey(id, keyring.publicKeyPem(id)))
        .toList();
  }

  private static byte[] osv(String id) {
    return """
        {"id": "%s", "modified": "2026-01-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
        """
        .formatted(id)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** build-service's API as the tests set it; every call counted. */
  private static final class FakeBuildService implements BuildService {
    List<PublicKey> keys = List.of();
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<String> cursors = new ArrayList<>();
    final List<String> downloads = new ArrayList<>();
    boolean down;
    int keyCalls;

    @Override
    public ImageRecord image(String digest, String reference) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PullCredential pullCredential(PullCredentialRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SigningKeys trustedSigningKeys() {
      keyCalls++;
      unreachable();
      return new SigningKeys(keys);
    }

    @Override
    public AdvisoryFiles advisories(String after) {
      cursors.add(after);
      unreachable();
      return new AdvisoryFiles(
          "rev",
          files.entrySet().stream()
              .filter(f -> after == null || f.getKey().compareTo(after) > 0)
              .map(f -> new AdvisoryFile(f.getKey(), f.getValue().length))
              .toList());
    }

    @Override
    public InputStream advisoryFile(String name) {
      downloads.add(name);
      unreachable();
      return new ByteArrayInputStream(files.get(name));
    }

    // the portal's calls, which admission never makes
    @Override
    public List<SigningKey> signingKeys(String authorization) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SigningKey rotateSigningKey(String authorization) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void distrustSigningKey(String id, String authorization) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AdvisoryImport importAdvisories(byte[] upload, String authorization) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void rotateWebhookSecret(
        String tenant, String project, String app, String authorization) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AppBuilds.CommitStatus setCommitStatus(
        String tenant,
        String project,
        String app,
        CommitStatusSetting setting,
        String authorization) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deleteCommitStatus(
        String tenant, String project, String app, String authorization) {
      throw new UnsupportedOperationException();
    }

    private void unreachable() {
      if (down) {
        throw new ResourceAccessException("I/O error on GET http://10.0.0.9:8082: refused");
      }
    }
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-06-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
