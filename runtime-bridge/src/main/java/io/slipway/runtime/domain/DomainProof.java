package io.slipway.runtime.domain;

/**
 * One way to prove that whoever claims a custom domain controls it. Implementations are synchronous
 * and side-effect free: a check reads (DNS, or the domain's own HTTP answer) and changes nothing,
 * so calling it again is always safe. A check is bounded in time (short timeouts) and never throws
 * for a failure of the domain's owner: it answers {@link Result#failed} with a reason in plain
 * words that never names an internal address.
 */
public interface DomainProof {

  /** Whether {@code domain} answers {@code token} the way this proof asks. */
  Result check(String domain, String token);

  /** The outcome of a check: proven, or not and why. */
  record Result(boolean proven, String reason) {

    public static Result ok() {
      return new Result(true, null);
    }

    public static Result failed(String reason) {
      return new Result(false, reason);
    }
  }
}
