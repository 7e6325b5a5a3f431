package io.slipway.build.procfile;

/**
 * An {@code app.json} that cannot be used: the message says why in plain words and names the member
 * at fault, so that it can be shown to the pusher as the build's reason.
 */
public final class AppJsonException extends Exception {

  AppJsonException(String message) {
    super(message);
  }
}
