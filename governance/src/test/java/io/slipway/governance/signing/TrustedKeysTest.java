package io.slipway.governance.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A verifier that only reads the public keys sees the signer's rotations and distrusts. */
class TrustedKeysTest {

  private static final String DIGEST = "sha256:" + "3a".repeat(32);

  @TempDir Path tmp;

  @Test
  void followsRotationAndDistrustWithoutThePrivateKey() throws IOException {
    Keyring signer = Keyring.open(tmp.resolve("keys"));
    TrustedKeys verifier = TrustedKeys.load(tmp.resolve("keys/trusted"));
    ImageSignature first = signer.sign("localhost/slipway/a/b", DIGEST);
    assertThat(verifier.verify(first).valid()).isTrue();

    String oldId = signer.activeKeyId();
    signer.rotate();
    ImageSignature second = signer.sign("localhost/slipway/a/b", DIGEST);
    assertThat(verifier.verify(second).valid()).as("sees the new key").isTrue();
    assertThat(verifier.keyIds()).hasSize(2);

    signer.distrust(oldId);
    assertThat(verifier.verify(first).valid()).as("sees the distrust").isFalse();
    assertThat(verifier.verify(second).valid()).isTrue();
  }

  @Test
  void keysGivenAsPemVerifyAsTheDirectoryDoesAndNeverChange() throws IOException {
    Keyring signer = Keyring.open(tmp.resolve("keys"));
    String first = signer.activeKeyId();
    TrustedKeys given = TrustedKeys.of(List.of(signer.publicKeyPem(first)));
    ImageSignature signature = signer.sign("localhost/slipway/a/b", DIGEST);

    assertThat(given.keyIds()).containsExactly(first);
    assertThat(given.verify(signature).valid()).isTrue();
    assertThat(given.verify(signature).keyId()).isEqualTo(first);

    signer.rotate();
    assertThat(given.verify(signer.sign("localhost/slipway/a/b", DIGEST)).valid())
        .as("a fixed set: a later key is not in it")
        .isFalse();
    assertThat(TrustedKeys.of(List.of()).verify(signature).valid()).isFalse();
    assertThatThrownBy(() -> TrustedKeys.of(List.of("not a key")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSignatureWithoutKeyIdOrWithGarbageIsJustInvalid() throws IOException {
    Keyring signer = Keyring.open(tmp.resolve("keys"));
    ImageSignature signature = signer.sign("localhost/slipway/a/b", DIGEST);
    TrustedKeys verifier = TrustedKeys.load(tmp.resolve("keys/trusted"));

    assertThat(
            verifier
                .verify(new ImageSignature(signature.payload(), signature.signature(), null))
                .valid())
        .isTrue();
    assertThat(verifier.verify(new ImageSignature(signature.payload(), "%%%", null)).problem())
        .isEqualTo("the signature is not base64");
    assertThat(verifier.verify(new ImageSignature(signature.payload(), "AAAA", null)).valid())
        .isFalse();
  }
}
