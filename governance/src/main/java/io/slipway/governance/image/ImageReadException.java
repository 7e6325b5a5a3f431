package io.slipway.governance.image;

/** An image could not be copied or read; the message says which and why. */
public class ImageReadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ImageReadException(String message) {
    super(message);
  }

  public ImageReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
