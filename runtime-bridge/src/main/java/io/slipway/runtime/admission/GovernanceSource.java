package io.slipway.runtime.admission;

import io.slipway.governance.ImageGovernance;
import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.advisory.ImportReport;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.signing.TrustedKeys;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify-only governance facade, made on first use: build-service generates the keyring at its
 * first start, which may come after runtime-bridge's. Before each use, OSV files build-service kept
 * since the last one are imported, so admission sees the same advisories as the build scan.
 */
class GovernanceSource {

  private static final Logger log = LoggerFactory.getLogger(GovernanceSource.class);

  private final AdmissionProperties properties;
  private final AdvisoryDatabase advisories = new AdvisoryDatabase();
  private final Set<String> imported = new HashSet<>();
  private ImageGovernance governance;
  private Path noKeys;

  GovernanceSource(AdmissionProperties properties) {
    this.properties = properties;
  }

  /** The facade with the advisories imported so far. */
  synchronized ImageGovernance get() {
    syncAdvisories();
    if (governance == null) {
      Path dir = properties.trustedKeysDir().toAbsolutePath();
      try {
        if (!Files.isDirectory(dir)) {
          // build-service has not made its keyring yet: nothing is trusted until it has
          log.warn("No trusted image keys at {}: every signature is refused for now", dir);
          return facade(TrustedKeys.load(noKeys()));
        }
        TrustedKeys keys = TrustedKeys.load(dir);
        governance = facade(keys);
        log.info("Image admission trusts keys {} from {}", keys.keyIds(), dir);
      } catch (IOException | RuntimeException e) {
        // the path and cause are for the operator's log, not for the tenant's answer
        log.error(
            "The trusted image keys cannot be read from {}"
                + " (slipway.runtime.admission.trusted-keys-dir): {}",
            dir,
            e.toString());
        throw Problem.unavailable(
            "the platform's trusted image keys cannot be read; the platform admin is told in the"
                + " log");
      }
    }
    return governance;
  }

  private ImageGovernance facade(TrustedKeys keys) {
    return new ImageGovernance(
        new ImageReader(Path.of(System.getProperty("java.io.tmpdir")), properties.imageTimeout()),
        advisories,
        keys,
        Clock.systemUTC());
  }

  private Path noKeys() throws IOException {
    if (noKeys == null) {
      noKeys = Files.createTempDirectory("slipway-no-trusted-keys-");
      noKeys.toFile().deleteOnExit();
    }
    return noKeys;
  }

  private void syncAdvisories() {
    Path dir = properties.advisoriesDir().toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".zip"))
              .filter(f -> !imported.contains(f.getFileName().toString()))
              .sorted()
              .toList();
    } catch (IOException e) {
      log.warn("Cannot list advisories in {}: {}", dir, e.toString());
      return;
    }
    for (Path file : files) {
      try {
        ImportReport report = advisories.importFrom(file);
        imported.add(file.getFileName().toString());
        report.problems().forEach(p -> log.warn("Advisory file {}: {}", file.getFileName(), p));
      } catch (IOException e) {
        log.warn("Cannot import advisories from {}: {}", file, e.toString());
      }
    }
  }
}
