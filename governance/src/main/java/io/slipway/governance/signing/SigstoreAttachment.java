package io.slipway.governance.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image's signatures as a sigstore attachment, the way cosign and containers/image ({@code
 * use-sigstore-attachments}) keep them in a registry: the {@link OciAttachment} tagged {@code
 * sha256-<hex>.sig} in the signed image's repository, one layer per signature, each the
 * simple-signing payload ({@value #PAYLOAD_MEDIA_TYPE}) with the base64 signature as its {@value
 * #SIGNATURE_ANNOTATION} annotation. Several signatures of one digest (by keys before and after a
 * rotation, say) are several layers, as {@code cosign sign} appends them.
 *
 * @param signatures the image's signatures, at least one, all of the same manifest digest; their
 *     payloads name the registry repository and the manifest digest the registry serves
 */
public record SigstoreAttachment(List<ImageSignature> signatures) {

  /** The layer media type cosign and containers/image use for simple-signing payloads. */
  public static final String PAYLOAD_MEDIA_TYPE =
      "application/vnd.dev.cosign.simplesigning.v1+json";

  /** The layer annotation holding the base64 signature. */
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  /** The layer annotation naming the signing key's id: a hint, as in {@link ImageSignature}. */
  public static final String KEY_ID_ANNOTATION = "io.slipway.signing/key-id";

  /** The tag suffix of an image's signatures. */
  public static final String SUFFIX = ".sig";

  public SigstoreAttachment {
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a signature attachment holds at least one signature");
    }
    signatures = List.copyOf(signatures);
    String digest = digestOf(signatures.getFirst());
    for (ImageSignature signature : signatures) {
      if (!digest.equals(digestOf(signature))) {
        throw new IllegalArgumentException("the signatures of one attachment sign one digest");
      }
    }
  }

  /** The attachment of one signature. */
  public SigstoreAttachment(ImageSignature signature) {
    this(List.of(signature));
  }

  /**
   * The signatures of an attachment read from a registry: its simple-signing layers (others are
   * left out). Nothing is verified here; a verifier checks each against the trusted keys.
   *
   * @throws IllegalArgumentException when it holds no signature
   */
  public static SigstoreAttachment of(OciAttachment attachment) {
    List<ImageSignature> found = new ArrayList<>();
    for (OciAttachment.Layer layer : attachment.layers()) {
      String signature = layer.annotations().get(SIGNATURE_ANNOTATION);
      if (PAYLOAD_MEDIA_TYPE.equals(layer.mediaType()) && signature != null) {
        found.add(
            new ImageSignature(
                new String(layer.content(), StandardCharsets.UTF_8),
                signature,
                layer.annotations().getOrDefault(KEY_ID_ANNOTATION, "")));
      }
    }
    return new SigstoreAttachment(found);
  }

  /**
   * These signatures and {@code added} (unless one of them is the same payload and signature): what
   * a registry's attachment holds after one more signing.
   */
  public SigstoreAttachment with(ImageSignature added) {
    for (ImageSignature signature : signatures) {
      if (signature.payload().equals(added.payload())
          && signature.signature().equals(added.signature())) {
        return this;
      }
    }
    List<ImageSignature> all = new ArrayList<>(signatures);
    all.add(added);
    return new SigstoreAttachment(all);
  }

  /** The tag the attachment has in the image's repository: {@code sha256-<hex>.sig}. */
  public String tag() {
    return OciAttachment.tagFor(digestOf(signatures.getFirst()), SUFFIX);
  }

  /** The attachment as stored: one simple-signing layer per signature, in order. */
  public OciAttachment attachment() {
    List<OciAttachment.Layer> layers = new ArrayList<>();
    for (ImageSignature signature : signatures) {
      layers.add(
          new OciAttachment.Layer(
              PAYLOAD_MEDIA_TYPE,
              signature.payload().getBytes(StandardCharsets.UTF_8),
              signature.keyId().isEmpty()
                  ? Map.of(SIGNATURE_ANNOTATION, signature.signature())
                  : Map.of(
                      SIGNATURE_ANNOTATION,
                      signature.signature(),
                      KEY_ID_ANNOTATION,
                      signature.keyId())));
    }
    return new OciAttachment(tag(), layers);
  }

  /** Writes {@link #attachment()} as an OCI image layout ({@link OciAttachment#writeLayout}). */
  public void writeLayout(Path dir) throws IOException {
    attachment().writeLayout(dir);
  }

  private static String digestOf(ImageSignature signature) {
    return SimpleSigningPayload.parse(signature.payload()).manifestDigest();
  }
}
