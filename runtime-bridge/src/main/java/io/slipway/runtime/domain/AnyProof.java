package io.slipway.runtime.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Proven when any of the proofs passes, tried in order (the first to pass ends the check); when
 * none does, the reason lists each one's, so the owner sees what each check found.
 */
public final class AnyProof implements DomainProof {

  private final List<DomainProof> proofs;

  public AnyProof(List<DomainProof> proofs) {
    this.proofs = List.copyOf(proofs);
  }

  @Override
  public Result check(String domain, String token) {
    List<String> reasons = new ArrayList<>();
    for (DomainProof proof : proofs) {
      Result result = proof.check(domain, token);
      if (result.proven()) {
        return result;
      }
      reasons.add(result.reason());
    }
    return Result.failed(String.join("; ", reasons));
  }
}
