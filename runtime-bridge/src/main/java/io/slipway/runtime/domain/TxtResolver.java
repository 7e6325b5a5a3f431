package io.slipway.runtime.domain;

import java.io.IOException;
import java.util.List;

/**
 * Reads the TXT records of a name. The seam exists so the DNS proof can be tested against a fake
 * resolver; the platform uses {@link JndiTxtResolver}.
 */
@FunctionalInterface
public interface TxtResolver {

  /**
   * The TXT strings of {@code name} (each record's strings joined); empty when the name or its TXT
   * records do not exist; {@link IOException} when DNS could not be asked (timed out, refused).
   */
  List<String> txt(String name) throws IOException;
}
