package io.slipway.governance.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

  private static final String DIGEST = "sha256:" + "3a".repeat(32);
  private static final String OTHER_DIGEST = "sha256:" + "b7".repeat(32);
  private static final String REPO = "localhost/slipway/acme/web/site";

  @TempDir Path tmp;

  @Test
  void generatesAKeyAtFirstOpenWithAPrivateKeyOnlyTheOwnerCanRead() throws IOException {
    Path dir = tmp.resolve("keys");
    Keyring keyring = Keyring.open(dir);

    String id = keyring.activeKeyId();
    Path privateKey = dir.resolve("private").resolve(id + ".pem");
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(Files.readString(privateKey)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(keyring.publicKeyPem(id)).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(Keyring.open(dir).activeKeyId()).as("reopening keeps the key").isEqualTo(id);
  }

  @Test
  void refusesAPrivateKeyOthersCanRead() throws IOException {
    Path dir = tmp.resolve("keys");
    String id = Keyring.open(dir).activeKeyId();
    Files.setPosixFilePermissions(
        dir.resolve("private").resolve(id + ".pem"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> Keyring.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("readable by others (rw-r--r--)");
  }

  @Test
  void thePayloadIsCosignsSimpleSigningFormat() throws IOException {
    ImageSignature signature = Keyring.open(tmp).sign(REPO, DIGEST);

    assertThat(signature.payload())
        .isEqualTo(
            "{\"critical\":{\"identity\":{\"docker-reference\":\""
                + REPO
                + "\"},\"image\":{\"docker-manifest-digest\":\""
                + DIGEST
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
  }

  @Test
  void opensslVerifiesTheSignatureAndRejectsATamperedPayloadOrAnotherKey() throws Exception {
    Keyring keyring = Keyring.open(tmp.resolve("keys"));
    ImageSignature signature = keyring.sign(REPO, DIGEST);
    Path pub =
        Files.writeString(tmp.resolve("pub.pem"), keyring.publicKeyPem(keyring.activeKeyId()));
    Path sig =
        Files.write(tmp.resolve("sig.der"), Base64.getDecoder().decode(signature.signature()));
    Path payload = Files.writeString(tmp.resolve("payload.json"), signature.payload());

    assertThat(openssl(pub, sig, payload)).isEqualTo("Verified OK");

    Path tampered =
        Files.writeString(
            tmp.resolve("tampered.json"), signature.payload().replace(DIGEST, OTHER_DIGEST));
    assertThat(openssl(pub, sig, tampered)).isEqualTo("Verification failure");

    Keyring other = Keyring.open(tmp.resolve("other"));
    Path otherPub =
        Files.writeString(tmp.resolve("other.pem"), other.publicKeyPem(other.activeKeyId()));
    assertThat(openssl(otherPub, sig, payload)).isEqualTo("Verification failure");
  }

  @Test
  void verifiesItsOwnSignaturesAndRefusesTamperedOrForeignOnes() throws IOException {
    Keyring keyring = Keyring.open(tmp.resolve("keys"));
    ImageSignature signature = keyring.sign(REPO, DIGEST);

    SignatureCheck ok = keyring.verify(signature);
    assertThat(ok.valid()).isTrue();
    assertThat(ok.signedDigest()).isEqualTo(DIGEST);
    assertThat(ok.signedReference()).isEqualTo(REPO);
    assertThat(ok.keyId()).isEqualTo(keyring.activeKeyId());

    ImageSignature tampered =
        new ImageSignature(
            signature.payload().replace(DIGEST, OTHER_DIGEST),
            signature.signature(),
            signature.keyId());
    SignatureCheck bad = keyring.verify(tampered);
    assertThat(bad.valid()).isFalse();
    assertThat(bad.problem()).isEqualTo("the signature was not made by a trusted platform key");

    ImageSignature foreign = Keyring.open(tmp.resolve("foreign")).sign(REPO, DIGEST);
    assertThat(keyring.verify(foreign).valid()).isFalse();

    ImageSignature garbage =
        new ImageSignature("{\"critical\":{}}", signature.signature(), signature.keyId());
    assertThat(keyring.verify(garbage).problem())
        .contains("not a cosign container image signature");
  }

  @Test
  void rotationSignsWithTheNewKeyAndKeepsOldSignaturesValidUntilDistrusted() throws IOException {
    Path dir = tmp.resolve("keys");
    Keyring keyring = Keyring.open(dir);
    String oldId = keyring.activeKeyId();
    ImageSignature before = keyring.sign(REPO, DIGEST);

    String newId = keyring.rotate();

    assertThat(newId).isNotEqualTo(oldId);
    assertThat(keyring.trustedKeyIds()).containsExactlyInAnyOrder(oldId, newId);
    assertThat(Files.exists(dir.resolve("private").resolve(oldId + ".pem")))
        .as("old private key deleted")
        .isFalse();
    ImageSignature after = keyring.sign(REPO, DIGEST);
    assertThat(after.keyId()).isEqualTo(newId);
    assertThat(keyring.verify(before).valid()).isTrue();
    assertThat(keyring.verify(before).keyId()).isEqualTo(oldId);

    Keyring reopened = Keyring.open(dir);
    assertThat(reopened.activeKeyId()).isEqualTo(newId);
    assertThat(reopened.verify(before).valid()).isTrue();

    reopened.distrust(oldId);
    assertThat(reopened.verify(before).valid()).isFalse();
    assertThat(reopened.verify(after).valid()).isTrue();
    assertThat(Keyring.open(dir).verify(before).valid()).isFalse();
    assertThatThrownBy(() -> reopened.distrust(newId)).hasMessageContaining("rotate first");
  }

  @Test
  void listsEveryKeyWithItsStateAndKeepsDistrustedOnes() throws IOException {
    Path dir = tmp.resolve("keys");
    Keyring keyring = Keyring.open(dir);
    String first = keyring.activeKeyId();
    String second = keyring.rotate();
    String third = keyring.rotate();
    keyring.distrust(first);

    List<SigningKey> keys = keyring.keys();

    assertThat(keys).extracting(SigningKey::id).containsExactly(first, second, third);
    assertThat(keys).extracting(SigningKey::active).containsExactly(false, false, true);
    assertThat(keys).extracting(SigningKey::trusted).containsExactly(false, true, true);
    assertThat(keys.get(2).publicKeyPem()).isEqualTo(keyring.publicKeyPem(third));
    assertThat(keys.get(0).publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(keys).allSatisfy(k -> assertThat(k.publicKeyPem()).doesNotContain("PRIVATE"));
    assertThat(keys.get(0).createdAt()).isBeforeOrEqualTo(keys.get(2).createdAt());
    assertThat(keyring.trustedKeyIds()).containsExactlyInAnyOrder(second, third);
    assertThat(dir.resolve("distrusted").resolve(first + ".pem")).exists();
    assertThat(dir.resolve("trusted").resolve(first + ".pem")).doesNotExist();

    keyring.distrust(first); // again: nothing changes
    assertThat(keyring.keys()).isEqualTo(keys);
  }

  @Test
  void distrustRefusesUnknownIdsAndIdsThatAreNotKeyIds() throws IOException {
    Path dir = tmp.resolve("keys");
    Keyring keyring = Keyring.open(dir);
    keyring.rotate();

    assertThatThrownBy(() -> keyring.distrust("ab".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key");
    assertThatThrownBy(() -> keyring.distrust("../active"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key");
    assertThat(dir.resolve("active")).exists();
    assertThat(keyring.keys()).hasSize(2);
  }

  @Test
  void anotherInstanceSharingTheDirectoryFollowsARotation() throws IOException {
    Path dir = tmp.resolve("keys");
    Keyring one = Keyring.open(dir);
    Keyring two = Keyring.open(dir);
    String oldId = one.activeKeyId();

    String newId = one.rotate();

    assertThat(two.activeKeyId()).isEqualTo(newId);
    assertThat(two.sign(REPO, DIGEST).keyId()).isEqualTo(newId);
    two.distrust(oldId);
    assertThat(one.keys()).extracting(SigningKey::trusted).containsExactly(false, true);
    String newest = two.rotate();
    assertThat(one.sign(REPO, DIGEST).keyId()).isEqualTo(newest);
  }

  @Test
  void aKeyIdHintNamingAnotherTrustedKeyStillVerifies() throws IOException {
    Keyring keyring = Keyring.open(tmp.resolve("keys"));
    ImageSignature signature = keyring.sign(REPO, DIGEST);
    keyring.rotate();

    ImageSignature wrongHint =
        new ImageSignature(signature.payload(), signature.signature(), keyring.activeKeyId());

    assertThat(keyring.verify(wrongHint).valid()).isTrue();
  }

  private static String openssl(Path pub, Path sig, Path payload) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    "openssl",
                    "dgst",
                    "-sha256",
                    "-verify",
                    pub.toString(),
                    "-signature",
                    sig.toString(),
                    payload.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }
}
