package io.slipway.runtime.admission;

import io.slipway.governance.advisory.Severity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Image admission settings ({@code slipway.runtime.admission.*}).
 *
 * @param enabled check every deploy and rollback (only the Kubernetes mock tests turn it off: their
 *     images exist nowhere)
 * @param buildApiUrl build-service, asked for an image's signature and SBOM by digest, for the
 *     platform's trusted public keys and for the OSV files it keeps
 * @param governanceRefresh how long the keys build-service served are used before it is asked again
 *     (a distrusted key reaches admission within it; {@code 0s}: asked at every admission). An
 *     unknown key id asks again at once; new advisories are asked for at every admission
 * @param imageTimeout how long resolving an image's digest with skopeo may take
 * @param floor the floor until a platform admin stores one with the API
 * @param buildImagePrefix build-service's {@code slipway.build.image-prefix}: an image named {@code
 *     <prefix>/<tenant id>/<project id>/<app id>} is that tenant's build, which no other tenant may
 *     run
 * @param recheckInterval how often every running revision's image is checked again against the
 *     policy and advisories of now; one that newly fails gets a {@code PolicyViolation} event
 */
@Validated
@ConfigurationProperties("slipway.runtime.admission")
record AdmissionProperties(
    @DefaultValue("true") boolean enabled,
    @NotNull @DefaultValue("http://127.0.0.1:8082") URI buildApiUrl,
    @NotNull @DefaultValue("30s") Duration governanceRefresh,
    @NotNull @DefaultValue("2m") Duration imageTimeout,
    @DefaultValue @Valid Floor floor,
    @DefaultValue("localhost") @NotBlank String buildImagePrefix,
    @NotNull @DefaultValue("5m") Duration recheckInterval) {

  /**
   * The configured floor. The default is safe for a fresh install: only images the platform signed
   * (which build-service does for every build), from any registry, nothing CRITICAL (or unrated)
   * without a waiver, tenant waivers allowed.
   */
  record Floor(
      @DefaultValue("true") boolean requireSigned,
      @DefaultValue("*") List<String> allowedRegistries,
      @NotNull @DefaultValue("HIGH") Severity maxSeverity,
      @DefaultValue("true") boolean tenantWaiversAllowed) {}
}
