package io.slipway.governance.signing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The platform's image-signing keys: one active ECDSA P-256 key that signs, and every public key
 * ever active (until distrusted) that verifies, so images signed before a rotation stay trusted.
 *
 * <p>On disk, in the directory given by configuration:
 *
 * <pre>
 * keys/                  rwx------
 *   active               the active key's id
 *   private/&lt;id&gt;.pem     PKCS#8 PEM private key, rw------- (only the active one is kept)
 *   trusted/&lt;id&gt;.pem     SubjectPublicKeyInfo PEM public keys
 * </pre>
 *
 * A key's id is the hex SHA-256 of its DER SubjectPublicKeyInfo. Every file is written to a
 * temporary name and moved into place, and {@code active} is switched last, so a crash during a
 * rotation leaves the old key active and usable.
 *
 * <p>Thread-safe: rotation and reads synchronise on the keyring.
 */
public final class Keyring {

  private static final String ALGORITHM = "SHA256withECDSA";

  private final Path dir;
  private String activeId;
  private PrivateKey activeKey;
  private TrustedKeys trusted;

  private Keyring(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens the keyring in {@code dir}, generating the first key if there is none (the install step).
   * Creates the directory with mode 0700 if missing.
   *
   * @throws IOException if the directory cannot be read or written, or a key file is corrupt
   */
  public static synchronized Keyring open(Path dir) throws IOException {
    Keyring keyring = new Keyring(dir);
    createPrivateDir(dir);
    createPrivateDir(dir.resolve("private"));
    Files.createDirectories(dir.resolve("trusted"));
    // Two replicas starting at once on a shared volume must not both generate a first key.
    keyring.locked(
        () -> {
          if (!Files.exists(dir.resolve("active"))) {
            keyring.generate();
          }
          keyring.load();
          return null;
        });
    return keyring;
  }

  /** The id of the key that signs. */
  public synchronized String activeKeyId() {
    return activeId;
  }

  /** The ids of every trusted public key, the active one included. */
  public synchronized List<String> trustedKeyIds() {
    return trusted.keyIds();
  }

  /** A trusted public key as PEM, for {@code openssl} or {@code cosign verify --key}. */
  public synchronized String publicKeyPem(String keyId) {
    PublicKey key = trusted.key(keyId);
    if (key == null) {
      throw new IllegalArgumentException("no trusted key " + keyId);
    }
    return Pem.encode("PUBLIC KEY", key.getEncoded());
  }

  /**
   * Makes a new key active. The old public key stays trusted; the old private key is deleted, so it
   * can sign nothing more even if the directory leaks later.
   *
   * @return the new key's id
   */
  public synchronized String rotate() throws IOException {
    return locked(
        () -> {
          String old = activeId;
          generate();
          load();
          Files.deleteIfExists(dir.resolve("private").resolve(old + ".pem"));
          return activeId;
        });
  }

  /**
   * Stops trusting a retired key (after a compromise): signatures made with it no longer verify.
   *
   * @throws IllegalArgumentException for the active key (rotate first)
   */
  public synchronized void distrust(String keyId) throws IOException {
    if (keyId.equals(activeId)) {
      throw new IllegalArgumentException("the active key cannot be distrusted; rotate first");
    }
    Files.deleteIfExists(dir.resolve("trusted").resolve(keyId + ".pem"));
    trusted = TrustedKeys.load(dir.resolve("trusted"));
  }

  /**
   * Signs an image: the simple-signing payload of {@code dockerReference} at {@code
   * manifestDigest}.
   */
  public synchronized ImageSignature sign(String dockerReference, String manifestDigest) {
    String payload = new SimpleSigningPayload(dockerReference, manifestDigest).toJson();
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(activeKey);
      signer.update(payload.getBytes(StandardCharsets.UTF_8));
      return new ImageSignature(
          payload, Base64.getEncoder().encodeToString(signer.sign()), activeId);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed", e);
    }
  }

  /**
   * Checks a signature against the trusted keys (the one its key id names first, then the others).
   * Never throws for a bad signature: the result says why it is not valid.
   */
  public synchronized SignatureCheck verify(ImageSignature signature) {
    return trusted.verify(signature);
  }

  /** The trusted keys, for a verifier that must not hold the private key. */
  public synchronized TrustedKeys trustedKeys() {
    return trusted;
  }

  /** The id of a public key: hex SHA-256 of its DER SubjectPublicKeyInfo. */
  public static String keyId(PublicKey key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private void generate() throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation failed", e);
    }
    String id = keyId(pair.getPublic());
    writeAtomically(
        dir.resolve("trusted").resolve(id + ".pem"),
        Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()),
        false);
    writeAtomically(
        dir.resolve("private").resolve(id + ".pem"),
        Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()),
        true);
    writeAtomically(dir.resolve("active"), id + "\n", false);
  }

  private interface KeyAction<T> {
    T run() throws IOException;
  }

  /** Runs {@code action} holding an exclusive lock on {@code <dir>/.lock} (across processes). */
  private <T> T locked(KeyAction<T> action) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock();
      return action.run();
    }
  }

  private void load() throws IOException {
    String id = Files.readString(dir.resolve("active")).strip();
    Path privateKey = dir.resolve("private").resolve(id + ".pem");
    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey));
    if (!mode.equals("rw-------") && !mode.equals("r--------")) {
      throw new IOException(
          "the private key " + privateKey + " is readable by others (" + mode + "); chmod 600 it");
    }
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance("EC")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      Pem.decode(
                          "PRIVATE KEY",
                          Files.readString(dir.resolve("private").resolve(id + ".pem")))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("the private key in " + dir + " is corrupt: " + e.getMessage(), e);
    }
    TrustedKeys keys = TrustedKeys.load(dir.resolve("trusted"));
    if (!keys.keyIds().contains(id)) {
      throw new IOException(
          "the active key " + id + " has no public key in " + dir.resolve("trusted"));
    }
    activeId = id;
    activeKey = key;
    trusted = keys;
  }

  private static void createPrivateDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }

  private static void writeAtomically(Path target, String content, boolean secret)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    // Created with its final mode, so a private key is never readable by others, not even briefly.
    Files.createFile(
        tmp,
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    Files.writeString(tmp, content);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
