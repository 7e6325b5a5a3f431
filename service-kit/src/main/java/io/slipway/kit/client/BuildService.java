package io.slipway.kit.client;

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
}
