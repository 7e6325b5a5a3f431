package io.slipway.kit.client;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;
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
  SigningKeys trustedSigningKeys();

  /** The OSV files kept after {@code after} (the last file name the caller imported; null: all). */
  @GetExchange("/internal/advisories")
  AdvisoryFiles advisories(@RequestParam(required = false) String after);

  /**
   * One kept OSV file as it was imported (JSON or a zip of JSON files), as a stream the caller
   * reads and closes: the file may be large.
   */
  @GetExchange(url = "/internal/advisories/{name}", accept = "application/octet-stream")
  InputStream advisoryFile(@PathVariable String name);

  /** Whose namespace an image pull credential is for, by immutable ids. */
  record PullCredentialRequest(String tenantId, String projectId) {}

  /**
   * A project's image pull credential: the registry ({@code host[:port]}) and a login that may pull
   * its tenant's repositories and push none.
   */
  record PullCredential(String registry, String username, String password) {}

  /**
   * A new pull credential for the project's namespace, replacing its previous password; 404 when
   * the registry takes no token auth (pulls are anonymous).
   */
  @PostExchange("/internal/registry/pull-credentials")
  PullCredential pullCredential(@RequestBody PullCredentialRequest request);

  // ---- as the portal calls it, always with the signed-in user's token ----

  /** One of the platform's image-signing keys; a distrusted one is no longer {@code trusted}. */
  record SigningKey(
      String id, boolean active, boolean trusted, Instant createdAt, String publicKeyPem) {}

  /**
   * What an import of OSV advisories did.
   *
   * @param problems files of the upload that could not be read, one sentence each
   * @param changed false when every advisory was already imported
   * @param advisories how many advisories the database holds now
   * @param rescanned how many images were rescanned against the changed database
   */
  record AdvisoryImport(
      int imported,
      int withdrawn,
      List<String> problems,
      String advisoryRevision,
      boolean changed,
      int advisories,
      int rescanned) {}

  @GetExchange("/admin/signing-keys")
  List<SigningKey> signingKeys(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Rotation: a new key signs from now on; the old ones keep verifying what they signed. */
  @PostExchange("/admin/signing-keys")
  SigningKey rotateSigningKey(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** After a compromise: images signed by the key are refused from now on. */
  @DeleteExchange("/admin/signing-keys/{id}")
  void distrustSigningKey(
      @PathVariable String id, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Imports one OSV JSON file or a zip of them, as uploaded. */
  @PostExchange(url = "/admin/advisories", contentType = "application/octet-stream")
  AdvisoryImport importAdvisories(
      @RequestBody byte[] upload, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Rotates an external-git app's webhook secret; the old one stops working at once. */
  @PostExchange("/tenants/{tenant}/projects/{project}/apps/{app}/webhook")
  void rotateWebhookSecret(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** What turns an external-git app's commit status on: the forge, its API URL and a token. */
  record CommitStatusSetting(String forge, String apiUrl, String token) {}

  /** Sets an external-git app's commit status; the answer never holds the token. */
  @PutExchange("/tenants/{tenant}/projects/{project}/apps/{app}/commit-status")
  AppBuilds.CommitStatus setCommitStatus(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody CommitStatusSetting setting,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Turns an external-git app's commit status off. */
  @DeleteExchange("/tenants/{tenant}/projects/{project}/apps/{app}/commit-status")
  void deleteCommitStatus(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);
}
