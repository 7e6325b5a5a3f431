package io.slipway.runtime.podman;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code nft -f -} with a script on its standard input: one atomic transaction. */
public final class Nft {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Nft.class);

  /** What a deploy that cannot be closed off says; the reason is in runtime-bridge's log. */
  static final String REFUSED =
      "the platform's network firewall could not be applied, so nothing was started;"
          + " an operator finds the reason in runtime-bridge's log";

  private final String executable;

  public Nft(String executable) {
    this.executable = executable;
  }

  /** Applies the script; throws with nft's own words when it refuses it (nothing then changed). */
  public void apply(String script) {
    try {
      Process process =
          new ProcessBuilder(List.of(executable, "-f", "-")).redirectErrorStream(true).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(script.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new FirewallException("nft did not finish in 30 s");
      }
      if (process.exitValue() != 0) {
        // nft quotes the script (interfaces, host addresses): the operator's log only
        log.error("nft refused the rule set: {}", output.strip());
        throw new FirewallException(REFUSED);
      }
    } catch (IOException e) {
      log.error("nft could not be run ({}); install nftables and run as root", e.getMessage());
      throw new FirewallException(REFUSED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FirewallException("interrupted while applying the firewall");
    }
  }

  /** The project networks could not be closed: nothing is started on them. */
  public static final class FirewallException extends RuntimeException {
    FirewallException(String message) {
      super(message);
    }
  }
}
