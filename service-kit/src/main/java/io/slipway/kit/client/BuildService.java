package io.slipway.kit.client;

import java.io.InputStream;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import tools.jackson.databind.JsonNode;

/**
 * build-service's API as the other services call it: the one declarative client of it (made by
 * {@link ServiceClients#create}).
 */
@HttpExchange(url = "/api/v1", accept = "application/json")
public interface BuildService {

  /** The platform's signature of an image: the signed payload, its signature and the key's id. */
  record Signature(String payload, String signature, String keyId) {}

  /**
   * What build-service recorded about an image it built.
   *
   * @param sbom the CycloneDX document as stored (null when there is none)
   */
  record ImageRecord(String reference, Signature signature, JsonNode sbom) {}

  /**
   * The record of the image with {@code digest}, preferring the one for {@code reference}'s
   * repository (identical builds of two apps share a digest, not a signature).
   */
  @GetExchange("/internal/images/{digest}")
  ImageRecord image(@PathVariable String digest, @RequestParam String reference);

  /**
   * A trusted public key of the platform's signing keyring: its id and SubjectPublicKeyInfo PEM.
   */
  record PublicKey(String keyId, String publicKeyPem) {}

  /** Every trusted public key (the active one among them); distrusted keys are not listed. */
  record SigningKeys(List<PublicKey> keys) {}

  /** An OSV file build-service keeps: its name (names sort in import order) and size in bytes. */
  record AdvisoryFile(String name, long size) {}

  /**
   * The OSV files kept after a cursor, in import order, and build-service's advisory revision (what
   * importing every file reaches).
   */
  record AdvisoryFiles(String revision, List<AdvisoryFile> files) {}

  /** The platform's trusted public keys, never a private one. */
  @GetExchange("/internal/signing-keys")
  SigningKeys signingKeys();

  /** The OSV files kept after {@code after} (the last file name the caller imported; null: all). */
  @GetExchange("/internal/advisories")
  AdvisoryFiles advisories(@RequestParam(required = false) String after);

  /**
   * One kept OSV file as it was imported (JSON or a zip of JSON files), as a stream the caller
   * reads and closes: the file may be large.
   */
  @GetExchange(url = "/internal/advisories/{name}", accept = "application/octet-stream")
  InputStream advisoryFile(@PathVariable String name);
}
