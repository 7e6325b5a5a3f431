package io.slipway.build.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttestationStoreTest {

  @Test
  void aReferenceNamesItsRepositoryWithoutTagOrDigest() {
    assertThat(AttestationStore.repositoryOf("localhost/acme/web/site:0123abc"))
        .isEqualTo("localhost/acme/web/site");
    assertThat(
            AttestationStore.repositoryOf("localhost:5000/acme/web/site@sha256:" + "0".repeat(64)))
        .isEqualTo("localhost:5000/acme/web/site");
    assertThat(AttestationStore.repositoryOf("localhost:5000/acme/web/site"))
        .isEqualTo("localhost:5000/acme/web/site");
  }
}
