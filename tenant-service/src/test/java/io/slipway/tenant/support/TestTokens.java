package io.slipway.tenant.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Signs JWTs shaped like Keycloak's (preferred_username, realm_access.roles) with a key made for
 * this test JVM. The service validates them with the real resource-server code path; only the
 * issuer differs until the identity issue brings Keycloak into the tests.
 */
public final class TestTokens {

  private static final RSAKey KEY = generate();
  private static final Path PUBLIC_KEY = writePublicKey(KEY);

  private TestTokens() {}

  /** The {@code file:} location of the public key in PEM form, for the service's configuration. */
  public static String publicKeyLocation() {
    return PUBLIC_KEY.toUri().toString();
  }

  public static String user(String name) {
    return sign(KEY, name, List.of(), Instant.now().plusSeconds(600));
  }

  /**
   * A user's token issued to another client than the portal's (the CLI's): what a tenant calling a
   * service directly holds.
   */
  public static String cliUser(String name) {
    return sign(KEY, name, List.of(), Instant.now().plusSeconds(600), "slipway-cli");
  }

  public static String platformAdmin(String name) {
    return sign(KEY, name, List.of("platform-admin"), Instant.now().plusSeconds(600));
  }

  /** A service's client-credentials token: Keycloak names the client in {@code azp}. */
  public static String service(String client) {
    return sign(
        KEY,
        "service-account-" + client,
        List.of("slipway-service"),
        Instant.now().plusSeconds(600),
        client);
  }

  public static String expired(String name) {
    return sign(KEY, name, List.of(), Instant.now().minusSeconds(600));
  }

  /** A well-formed token signed by a key the service does not trust. */
  public static String forged(String name) {
    return sign(generate(), name, List.of("platform-admin"), Instant.now().plusSeconds(600));
  }

  private static String sign(RSAKey key, String name, List<String> roles, Instant expiry) {
    return sign(key, name, roles, expiry, "portal");
  }

  private static String sign(
      RSAKey key, String name, List<String> roles, Instant expiry, String client) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("sub-" + name)
            .audience(List.of("slipway", "account"))
            .claim("azp", client)
            .claim("preferred_username", name)
            .claim("realm_access", Map.of("roles", roles))
            .issueTime(Date.from(expiry.minusSeconds(1200)))
            .expirationTime(Date.from(expiry))
            .build();
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048).keyID("test").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writePublicKey(RSAKey key) {
    try {
      String pem =
          "-----BEGIN PUBLIC KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes())
                  .encodeToString(key.toRSAPublicKey().getEncoded())
              + "\n-----END PUBLIC KEY-----\n";
      Path file = Files.createTempFile("slipway-test-jwt", ".pem");
      file.toFile().deleteOnExit();
      return Files.writeString(file, pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
