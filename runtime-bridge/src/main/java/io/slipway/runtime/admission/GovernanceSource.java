package io.slipway.runtime.admission;

import io.slipway.governance.ImageGovernance;
import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.advisory.ImportReport;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.signing.TrustedKeys;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.RestClientException;

/**
 * The verify-only governance facade, with what build-service, their owner, serves over its API
 * (issue 20): the platform's trusted public keys, and the OSV files it keeps, replayed in its
 * import order from a cursor so that admission sees the same advisories as the build scan.
 *
 * <p>The keys are cached and asked again once older than {@code refresh}, and when a signature
 * names a key not among them (a rotation since), at most every {@link #MISS_GAP}. The advisories
 * are asked from the cursor on every use: an admission right after an admin's import must see it
 * (the build scan already does), and the answer is an empty list when nothing is new. Fails safe:
 * with no keys served, every signature is refused; when build-service cannot be asked, the
 * admission that needs them is refused with a 503 whose detail names no address (the cause is
 * logged for the operator). Thread-safe: one caller refreshes at a time.
 */
class GovernanceSource {

  private static final Logger log = LoggerFactory.getLogger(GovernanceSource.class);

  /** How soon an unknown key id may ask build-service for the keys again. */
  static final Duration MISS_GAP = Duration.ofSeconds(5);

  private final BuildService buildService;
  private final Duration refresh;
  private final Clock clock;
  private final ImageReader reader;
  private final AdvisoryDatabase advisories = new AdvisoryDatabase();
  private TrustedKeys keys = TrustedKeys.of(List.of());
  private ImageGovernance governance;
  private Instant keysAt;
  private String lastAdvisoryFile;

  GovernanceSource(BuildService buildService, Duration refresh, ImageReader reader, Clock clock) {
    this.buildService = buildService;
    this.refresh = refresh;
    this.reader = reader;
    this.clock = clock;
    this.governance = facade(keys);
  }

  /**
   * The facade with build-service's keys (asked again when older than the refresh interval) and
   * every advisory file it kept up to now.
   *
   * @throws Problem 503 when build-service cannot be asked
   */
  synchronized ImageGovernance current() {
    Instant now = clock.instant();
    if (stale(keysAt, now, refresh)) {
      fetchKeys(now);
    }
    syncAdvisories();
    return governance;
  }

  /**
   * The facade as last fetched, without asking build-service: for an admission that needs neither
   * keys nor advisories (a policy that asks for no signature and allows every severity).
   */
  synchronized ImageGovernance cached() {
    return governance;
  }

  /**
   * The facade, with the keys asked again first if {@code keyId} is not among them (a key
   * build-service rotated to since the last fetch) and they were not asked in the last {@link
   * #MISS_GAP}.
   */
  synchronized ImageGovernance knowing(String keyId) {
    Instant now = clock.instant();
    if (keyId != null && !keys.keyIds().contains(keyId) && stale(keysAt, now, MISS_GAP)) {
      fetchKeys(now);
    }
    return governance;
  }

  private static boolean stale(Instant fetchedAt, Instant now, Duration maxAge) {
    return fetchedAt == null || !now.isBefore(fetchedAt.plus(maxAge));
  }

  private void fetchKeys(Instant now) {
    TrustedKeys fetched;
    Set<String> served = new TreeSet<>();
    try {
      BuildService.SigningKeys answer = buildService.trustedSigningKeys();
      List<BuildService.PublicKey> listed =
          answer == null || answer.keys() == null ? List.of() : answer.keys();
      listed.forEach(k -> served.add(k.keyId()));
      fetched = TrustedKeys.of(listed.stream().map(BuildService.PublicKey::publicKeyPem).toList());
    } catch (RestClientException | IllegalArgumentException e) {
      throw unavailable("the platform's trusted image keys", e);
    }
    Set<String> ids = new TreeSet<>(fetched.keyIds());
    if (!ids.equals(served)) {
      // a key's id is computed from the key: what build-service named it is only compared
      log.warn("build-service named its keys {}, but they are {}", served, ids);
    }
    if (!ids.equals(new TreeSet<>(keys.keyIds())) || keysAt == null) {
      if (ids.isEmpty()) {
        log.warn("build-service trusts no image keys yet: every signature is refused for now");
      } else {
        log.info("Image admission trusts keys {} (from build-service)", ids);
      }
      keys = fetched;
      governance = facade(keys);
    }
    keysAt = now;
  }

  private void syncAdvisories() {
    try {
      BuildService.AdvisoryFiles answer = buildService.advisories(lastAdvisoryFile);
      List<BuildService.AdvisoryFile> files =
          answer == null || answer.files() == null ? List.of() : answer.files();
      for (BuildService.AdvisoryFile file : files) {
        importFile(file.name());
        lastAdvisoryFile = file.name();
      }
      if (!files.isEmpty()) {
        log.info(
            "{} advisory files imported from build-service: revision {} (build-service's {})",
            files.size(),
            advisories.revision(),
            answer.revision());
      }
    } catch (RestClientException | IOException e) {
      throw unavailable("the advisories", e);
    }
  }

  private void importFile(String name) throws IOException {
    ImportReport report;
    try (InputStream in = buildService.advisoryFile(name)) {
      report =
          name.endsWith(".zip")
              ? advisories.importZip(name, in)
              : advisories.importJson(name, in.readAllBytes());
    }
    report.problems().forEach(p -> log.warn("Advisory file {}: {}", name, p));
  }

  private ImageGovernance facade(TrustedKeys trusted) {
    return new ImageGovernance(reader, advisories, trusted, clock);
  }

  private static Problem unavailable(String what, Exception cause) {
    // the cause names internal addresses: the operator's log keeps it, the answer does not
    log.error("build-service could not be asked for {}: {}", what, cause.toString());
    return Problem.unavailable(
        "image admission cannot check images right now: the platform's signing keys and"
            + " advisories are unavailable; retry shortly (the platform admin is told in the log)");
  }
}
