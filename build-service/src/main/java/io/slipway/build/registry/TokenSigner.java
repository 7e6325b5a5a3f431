package io.slipway.build.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs registry tokens as the distribution token spec wants them: a JWT (ES256) whose {@code x5c}
 * header carries the certificate the registry's {@code rootcertbundle} trusts. The P-256 key and
 * its self-signed certificate are made by openssl at the first start, as the platform keyring is,
 * and kept in {@code key-dir} (the key 0600); the certificate is copied where the operator points
 * the registry.
 */
final class TokenSigner {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey key;
  private final String certificate;
  private final String issuer;
  private final String service;
  private final Duration lifetime;

  private TokenSigner(
      PrivateKey key, String certificate, String issuer, String service, Duration lifetime) {
    this.key = key;
    this.certificate = certificate;
    this.issuer = issuer;
    this.service = service;
    this.lifetime = lifetime;
  }

  /** One entry of the token's {@code access} claim, as the registry reads it. */
  record Access(String type, String name, List<String> actions) {}

  /** A signed token and when it was issued. */
  record Issued(String token, Instant issuedAt, Duration expiresIn) {}

  /** Opens the key in {@code dir}, generating it (and its certificate) when there is none. */
  static TokenSigner open(Path dir, RegistryAuthProperties properties)
      throws IOException, GeneralSecurityException, InterruptedException {
    Path keyFile = dir.resolve("token-key.pem");
    Path certFile = dir.resolve("token-cert.pem");
    if (!Files.exists(keyFile) || !Files.exists(certFile)) {
      generate(dir, keyFile, certFile);
    }
    if (!properties.rootCertBundle().isBlank()) {
      Path bundle = Path.of(properties.rootCertBundle()).toAbsolutePath();
      Files.createDirectories(bundle.getParent());
      Files.copy(certFile, bundle, StandardCopyOption.REPLACE_EXISTING);
    }
    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(pemBody(Files.readString(keyFile))));
    String certificate = Base64.getEncoder().encodeToString(pemBody(Files.readString(certFile)));
    return new TokenSigner(
        key, certificate, properties.issuer(), properties.service(), properties.tokenLifetime());
  }

  private static void generate(Path dir, Path keyFile, Path certFile)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path log = dir.resolve("openssl.log");
    // a certificate's own validity is not what limits a token (its exp does); ten years
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "3650",
                "-subj",
                "/CN=slipway registry token signer",
                "-keyout",
                keyFile.toString(),
                "-out",
                certFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (openssl.waitFor() != 0) {
      throw new IOException("openssl could not make the registry token key; see " + log);
    }
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
  }

  private static byte[] pemBody(String pem) {
    return Base64.getMimeDecoder()
        .decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").strip());
  }

  /** A token for {@code subject} granting {@code access}, good for the configured lifetime. */
  Issued sign(String subject, List<RepositoryScope> access, Instant now) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "ES256");
    header.put("x5c", List.of(certificate));
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", subject);
    claims.put("aud", service);
    claims.put("exp", now.plus(lifetime).getEpochSecond());
    claims.put("nbf", now.getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    claims.put(
        "access",
        access.stream()
            .map(
                scope ->
                    new Access(
                        "repository", scope.name(), scope.actions().stream().sorted().toList()))
            .toList());
    String signingInput =
        URL.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + URL.encodeToString(JSON.writeValueAsBytes(claims));
    try {
      // JOSE wants R||S, which the P1363 format is, not DER
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return new Issued(signingInput + "." + URL.encodeToString(signature.sign()), now, lifetime);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a registry token", e);
    }
  }
}
