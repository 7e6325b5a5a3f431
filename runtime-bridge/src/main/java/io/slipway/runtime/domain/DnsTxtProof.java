package io.slipway.runtime.domain;

import java.io.IOException;
import java.util.List;

/**
 * The DNS proof: a TXT record {@code _slipway-challenge.<domain>} whose value is the token. Only
 * whoever controls the domain's zone can publish it.
 */
public final class DnsTxtProof implements DomainProof {

  private final TxtResolver resolver;

  public DnsTxtProof(TxtResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Result check(String domain, String token) {
    String name = new Challenge(domain, token).txtName();
    List<String> values;
    try {
      values = resolver.txt(name);
    } catch (IOException e) {
      return Result.failed("DNS: the lookup of the TXT record " + name + " timed out or failed");
    }
    if (values.isEmpty()) {
      return Result.failed("DNS: there is no TXT record " + name);
    }
    if (values.stream().map(String::strip).anyMatch(token::equals)) {
      return Result.ok();
    }
    return Result.failed("DNS: the TXT record " + name + " does not hold this domain's token");
  }
}
