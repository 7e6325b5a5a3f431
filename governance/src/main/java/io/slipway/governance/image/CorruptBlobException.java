package io.slipway.governance.image;

/** A blob's content does not match its digest. The blob has been deleted. */
final class CorruptBlobException extends ImageReadException {

  private static final long serialVersionUID = 1L;

  CorruptBlobException(String digest, String actual) {
    super("blob " + digest + " has content with digest " + actual);
  }
}
