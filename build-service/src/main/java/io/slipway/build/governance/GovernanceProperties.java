package io.slipway.build.governance;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Registry governance settings ({@code slipway.build.governance.*}).
 *
 * @param keysDir the platform keyring (private key 0600, {@code trusted/} public keys); empty:
 *     {@code <data-dir>/.governance/keys}. The first key is generated at the first start
 * @param advisoriesDir where imported OSV files are kept, re-imported at every start; empty: {@code
 *     <data-dir>/.governance/advisories}
 * @param imageTimeout how long reading one image (skopeo copy to an OCI layout) may take
 */
@Validated
@ConfigurationProperties("slipway.build.governance")
record GovernanceProperties(
    @DefaultValue("") String keysDir,
    @DefaultValue("") String advisoriesDir,
    @NotNull @DefaultValue("10m") Duration imageTimeout) {

  /** A dot directory, so it can never be a tenant's repository directory. */
  private static Path governanceDir(Path dataDir) {
    return dataDir.resolve(".governance");
  }

  Path keys(Path dataDir) {
    return keysDir.isBlank() ? governanceDir(dataDir).resolve("keys") : Path.of(keysDir);
  }

  Path advisories(Path dataDir) {
    return advisoriesDir.isBlank()
        ? governanceDir(dataDir).resolve("advisories")
        : Path.of(advisoriesDir);
  }
}
