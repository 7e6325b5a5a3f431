package io.slipway.governance.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 *   distrusted/&lt;id&gt;.pem  public keys of distrusted keys, kept so the history can be listed
 * </pre>
 *
 * A key's id is the hex SHA-256 of its DER SubjectPublicKeyInfo. Every file is written to a
 * temporary name and moved into place, and {@code active} is switched last, so a crash during a
 * rotation leaves the old key active and usable.
 *
 * <p>Thread-safe: rotation and reads synchronise on the keyring. Several instances may share the
 * directory: each re-reads {@code active} before signing, so a rotation by one is followed by all.
 */
public final class Keyring {

  private static final String ALGORITHM = "SHA256withECDSA";
  private static final Object JVM_LOCK = new Object();
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");

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
    Files.createDirectories(dir.resolve("distrusted"));
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

  /** The id of the key that signs (another instance's rotation included). */
  public synchronized String activeKeyId() {
    followRotation();
    return activeId;
  }

  /**
   * Every key this keyring has had: trusted ones (the active one among them) and distrusted ones,
   * oldest first.
   */
  public synchronized List<SigningKey> keys() throws IOException {
    followRotation();
    List<SigningKey> keys = new ArrayList<>();
    for (String folder : List.of("trusted", "distrusted")) {
      try (Stream<Path> files = Files.list(dir.resolve(folder))) {
        for (Path file : files.filter(Keyring::isKeyFile).toList()) {
          String id = file.getFileName().toString().replace(".pem", "");
          keys.add(
              new SigningKey(
                  id,
                  id.equals(activeId),
                  folder.equals("trusted"),
                  Files.getLastModifiedTime(file).toInstant(),
                  Files.readString(file, StandardCharsets.US_ASCII)));
        }
      }
    }
    keys.sort(Comparator.comparing(SigningKey::createdAt).thenComparing(SigningKey::id));
    return keys;
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
          load(); // another instance may have rotated since
          String old = activeId;
          generate();
          load();
          Files.deleteIfExists(dir.resolve("private").resolve(old + ".pem"));
          return activeId;
        });
  }

  /**
   * Stops trusting a retired key (after a compromise): signatures made with it no longer verify.
   * Its public key moves to {@code distrusted/}. Distrusting a distrusted key again does nothing.
   *
   * @throws IllegalArgumentException for the active key (rotate first), or an id this keyring never
   *     had
   */
  public synchronized void distrust(String keyId) throws IOException {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("no key " + keyId + " in this keyring");
    }
    locked(
        () -> {
          load();
          if (keyId.equals(activeId)) {
            throw new IllegalArgumentException("the active key cannot be distrusted; rotate first");
          }
          Path trustedFile = dir.resolve("trusted").resolve(keyId + ".pem");
          Path distrustedFile = dir.resolve("distrusted").resolve(keyId + ".pem");
          if (Files.exists(trustedFile)) {
            move(trustedFile, distrustedFile);
          } else if (!Files.exists(distrustedFile)) {
            throw new IllegalArgumentException("no key " + keyId + " in this keyring");
          }
          trusted = TrustedKeys.load(dir.resolve("trusted"));
          return null;
        });
  }

  /**
   * Signs an image: the simple-signing payload of {@code dockerReference} at {@code
   * manifestDigest}.
   */
  public synchronized ImageSignature sign(String dockerReference, String manifestDigest) {
    followRotation();
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
    Path publicKey = dir.resolve("trusted").resolve(id + ".pem");
    writeAtomically(publicKey, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()), false);
    // The file's time is the key's creation time; the kernel's is only as fine as a clock tick.
    Files.setLastModifiedTime(publicKey, FileTime.from(Instant.now()));
    writeAtomically(
        dir.resolve("private").resolve(id + ".pem"),
        Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()),
        true);
    writeAtomically(dir.resolve("active"), id + "\n", false);
  }

  private interface KeyAction<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code action} holding an exclusive lock on {@code <dir>/.lock} (across processes). File
   * locks are held per JVM, and a second lock by the same JVM throws instead of waiting, so
   * keyrings in one JVM also take turns on {@link #JVM_LOCK}.
   */
  private <T> T locked(KeyAction<T> action) throws IOException {
    synchronized (JVM_LOCK) {
      try (FileChannel channel =
          FileChannel.open(
              dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        channel.lock();
        return action.run();
      }
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

  /** Loads the active key again when another instance sharing the directory rotated it. */
  private void followRotation() {
    try {
      if (!Files.readString(dir.resolve("active")).strip().equals(activeId)) {
        locked(
            () -> {
              load();
              return null;
            });
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the keyring in " + dir, e);
    }
  }

  private static boolean isKeyFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".pem") && KEY_ID.matcher(name.substring(0, name.length() - 4)).matches();
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
    move(tmp, target);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
