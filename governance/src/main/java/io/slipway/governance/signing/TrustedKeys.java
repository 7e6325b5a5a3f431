package io.slipway.governance.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The platform's trusted public keys, for services that verify but never sign: read from a
 * directory of PEM files ({@code <keys>/trusted/} of a {@link Keyring}) by the signing service
 * itself, or {@linkplain #of(Collection) given as PEM} by a service that asked the signing service
 * for them over its API.
 *
 * <p>A directory is re-read when its modification time changes, so a rotation (a file added) or a
 * distrust (a file removed) is seen at the next verification; a set given as PEM never changes (ask
 * again and make a new one). Thread-safe.
 */
public final class TrustedKeys {

  private static final String ALGORITHM = "SHA256withECDSA";

  /** The directory the keys are read from; null for a fixed set given as PEM. */
  private final Path dir;

  private FileTime loadedAt;
  private Map<String, PublicKey> keys = Map.of();

  private TrustedKeys(Path dir) {
    this.dir = dir;
  }

  /**
   * Reads the public keys in {@code dir} (every {@code *.pem}).
   *
   * @throws IOException if the directory cannot be read or a key file is not an EC public key
   */
  public static TrustedKeys load(Path dir) throws IOException {
    TrustedKeys keys = new TrustedKeys(dir);
    keys.reloadIfChanged();
    return keys;
  }

  /**
   * A fixed set of public keys, each a SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC
   * KEY-----}); each key's id is computed from the key itself, never taken on trust.
   *
   * @throws IllegalArgumentException if one is not an EC public key in PEM
   */
  public static TrustedKeys of(Collection<String> publicKeyPems) {
    TrustedKeys keys = new TrustedKeys(null);
    Map<String, PublicKey> read = new TreeMap<>();
    for (String pem : publicKeyPems) {
      PublicKey key = parse(pem);
      read.put(keyId(key), key);
    }
    keys.keys = Map.copyOf(read);
    return keys;
  }

  /** The ids of the trusted keys. */
  public synchronized List<String> keyIds() {
    refresh();
    return List.copyOf(keys.keySet());
  }

  /** A trusted key. */
  synchronized PublicKey key(String keyId) {
    refresh();
    return keys.get(keyId);
  }

  /**
   * Checks a signature against the trusted keys (the one its key id names first, then the others).
   * Never throws for a bad signature: the result says why it is not valid.
   */
  public SignatureCheck verify(ImageSignature signature) {
    SimpleSigningPayload payload;
    try {
      payload = SimpleSigningPayload.parse(signature.payload());
    } catch (IllegalArgumentException e) {
      return SignatureCheck.invalid(null, e.getMessage());
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(signature.signature());
    } catch (IllegalArgumentException | NullPointerException e) {
      return SignatureCheck.invalid(payload, "the signature is not base64");
    }
    Map<String, PublicKey> current;
    synchronized (this) {
      refresh();
      current = keys;
    }
    List<String> order = new ArrayList<>();
    if (signature.keyId() != null && current.containsKey(signature.keyId())) {
      order.add(signature.keyId());
    }
    current.keySet().stream().filter(id -> !order.contains(id)).forEach(order::add);
    for (String id : order) {
      if (verifies(current.get(id), signature.payload(), der)) {
        return new SignatureCheck(
            true, payload.manifestDigest(), payload.dockerReference(), id, null);
      }
    }
    return SignatureCheck.invalid(payload, "the signature was not made by a trusted platform key");
  }

  /** The id of a public key: hex SHA-256 of its DER SubjectPublicKeyInfo. */
  static String keyId(PublicKey key) {
    return Keyring.keyId(key);
  }

  private void refresh() {
    try {
      reloadIfChanged();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trusted keys in " + dir, e);
    }
  }

  private synchronized void reloadIfChanged() throws IOException {
    if (dir == null) {
      return;
    }
    FileTime modified = Files.getLastModifiedTime(dir);
    if (modified.equals(loadedAt)) {
      return;
    }
    Map<String, PublicKey> read = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
        PublicKey key = parse(Files.readString(file, StandardCharsets.US_ASCII));
        read.put(keyId(key), key);
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("a trusted key file in " + dir + " is corrupt: " + e.getMessage(), e);
    }
    keys = Map.copyOf(read);
    loadedAt = modified;
  }

  private static PublicKey parse(String pem) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Pem.decode("PUBLIC KEY", pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an EC public key: " + e.getMessage(), e);
    }
  }

  private static boolean verifies(PublicKey key, String payload, byte[] der) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(payload.getBytes(StandardCharsets.UTF_8));
      return verifier.verify(der);
    } catch (GeneralSecurityException e) {
      return false; // a malformed DER signature is simply not a valid one
    }
  }
}
