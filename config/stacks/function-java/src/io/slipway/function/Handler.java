package io.slipway.function;

import java.util.Map;

/**
 * A Java function (docs/functions.md): the class {@code Handler} of a function's {@code
 * Handler.java}, in the default package, implements this and has a public constructor without
 * arguments. The runtime makes one instance and calls it once per run, one run at a time.
 */
public interface Handler {

  /**
   * Runs the function once.
   *
   * @param event the event's JSON: objects as {@code Map}, arrays as {@code List}, strings, numbers
   *     ({@code Long}, {@code BigInteger} or {@code Double}), {@code Boolean} and {@code null}
   * @return the result, written as JSON: a {@code Map} with {@code String} keys, a {@code List}, a
   *     {@code String}, a {@code Number}, a {@code Boolean} or {@code null}; anything else is the
   *     run's error
   * @throws Exception the run's error: its class and message are the error, its stack the logs'
   */
  Object handle(Map<String, Object> event) throws Exception;
}
