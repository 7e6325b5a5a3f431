package io.slipway.build.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The token signer with the real openssl: what RegistryAuthIT's registry then accepts. */
class TokenSignerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  private RegistryAuthProperties properties(String bundle) {
    return new RegistryAuthProperties(
        true,
        "slipway-build",
        "slipway-registry",
        "",
        bundle,
        "slipway-build",
        "a-platform-password-long-enough",
        Duration.ofMinutes(5),
        20);
  }

  @Test
  void signsAnEs256TokenTheCertificateInItsHeaderVerifies() throws Exception {
    Path bundle = dir.resolve("registry/bundle.pem");
    TokenSigner signer = TokenSigner.open(dir.resolve("keys"), properties(bundle.toString()));
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    String token =
        signer
            .sign("acme+ci", List.of(new RepositoryScope("t1/p/a", Set.of("push", "pull"))), now)
            .token();

    String[] parts = token.split("\\.");
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(header.path("alg").asString()).isEqualTo("ES256");
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        Base64.getDecoder().decode(header.path("x5c").get(0).asString())));
    // the certificate the registry trusts is the one in the header
    assertThat(
            CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(bundle)))
        .isEqualTo(certificate);
    Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
    verify.initVerify(certificate.getPublicKey());
    verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

    assertThat(claims.path("iss").asString()).isEqualTo("slipway-build");
    assertThat(claims.path("aud").asString()).isEqualTo("slipway-registry");
    assertThat(claims.path("sub").asString()).isEqualTo("acme+ci");
    assertThat(claims.path("nbf").asLong()).isEqualTo(now.getEpochSecond());
    assertThat(claims.path("exp").asLong()).isEqualTo(now.getEpochSecond() + 300);
    assertThat(claims.path("access").toString())
        .isEqualTo(
            "[{\"type\":\"repository\",\"name\":\"t1/p/a\",\"actions\":[\"pull\",\"push\"]}]");
  }

  @Test
  void keepsItsKeyPrivateAndAcrossRestarts() throws Exception {
    Path keys = dir.resolve("keys");
    TokenSigner.open(keys, properties(""));
    String first = Files.readString(keys.resolve("token-cert.pem"));
    TokenSigner.open(keys, properties(""));
    assertThat(Files.readString(keys.resolve("token-cert.pem"))).isEqualTo(first);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve("token-key.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToStartWithoutAPlatformPassword() {
    assertThatThrownBy(
            () ->
                new RegistryAuthProperties(
                    true, "i", "s", "", "", "slipway-build", "", Duration.ofMinutes(5), 20))
        .hasMessageContaining("slipway.build.registry.auth.platform-password must be set");
  }

  @Test
  void refusesToStartWithARegistryUrlThatHasAPath() {
    assertThatThrownBy(
            () ->
                new RegistryAuthConfig()
                    .registryTokenSigner(properties(""), null, "registry.example.com/slipway"))
        .hasMessageContaining(
            "has a path, which slipway.build.registry.auth.enabled does not support");
  }
}
