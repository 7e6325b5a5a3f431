package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.governance.signing.ImageSignature;
import io.slipway.runtime.router.HostRequest;
import io.slipway.testing.TestKeycloak;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Image admission through the API (issue 9), with real images (buildah), real digests (skopeo),
 * real signatures (the governance keyring), real containers (podman), real Keycloak users: a signed
 * image deploys and runs by digest; unsigned, tampered, wrong-key and tag-swapped images are
 * refused with their reasons; a waiver lets a known vulnerability through until it expires; and who
 * may read and write which policy.
 */
class ImageAdmissionApiIT extends ApiFixture {

  private static final String STRICT_FLOOR =
      "{\"requireSigned\":true,\"allowedRegistries\":[\"*\"],\"maxSeverity\":\"HIGH\","
          + "\"tenantWaiversAllowed\":true}";

  @Autowired PolicyWatch watch;

  private String alice;
  private String admin;

  @BeforeEach
  void setUp() throws Exception {
    alice = aliceWithApp();
    String name = "root-" + suffix;
    admin = TestKeycloak.userToken(name, TestKeycloak.createUser(name, "platform-admin"));
    bridge(admin, "PUT", "/api/v1/admin/image-policy", STRICT_FLOOR, 200);
  }

  @AfterEach
  void tearDown() {
    // the other API tests share this bridge and its database: back to the configured floor
    jdbc.sql("delete from image_policy").update();
    forgetTenant();
  }

  @AfterAll
  static void removeImages() {
    GovernanceFixture.removeImages();
  }

  private static String deploy(String image, String digest) {
    return "{\"image\":\""
        + image
        + "\""
        + (digest == null ? "" : ",\"digest\":\"" + digest + "\"")
        + ",\"port\":8080,\"cpuMillicores\":250,\"memoryMib\":32}";
  }

  private JsonNode refused(String body) throws Exception {
    JsonNode problem = bridge(alice, "POST", app, body, 422);
    assertThat(problem.path("type").asString())
        .isEqualTo("https://slipway.io/problems/image-refused");
    return problem;
  }

  private static List<String> reasons(JsonNode problem) {
    List<String> reasons = new ArrayList<>();
    problem.path("reasons").forEach(r -> reasons.add(r.asString()));
    return reasons;
  }

  @Test
  void signedImageDeploysPinnedByDigestAndUnsignedIsRefused() throws Exception {
    String signed = GovernanceFixture.build(governedImage("signed"), "signed " + suffix, Map.of());
    String digest = GovernanceFixture.attest(signed, GovernanceFixture.PLATFORM);

    JsonNode revision = bridge(alice, "POST", app, deploy(signed, null), 201);
    assertThat(revision.path("status").asString()).isEqualTo("live");
    assertThat(revision.path("digest").asString()).isEqualTo(digest);
    assertThat(
            PODMAN
                .run(List.of("inspect", "--format", "{{.ImageName}}", containers().getFirst()))
                .stdout()
                .strip())
        .endsWith("@" + digest);
    assertThat(GovernanceFixture.callers()).containsOnly("runtime-bridge");

    String unsigned =
        GovernanceFixture.build(governedImage("unsigned"), "unsigned " + suffix, Map.of());
    JsonNode problem = refused(deploy(unsigned, null));
    assertThat(reasons(problem)).containsExactly("image is not signed by the platform key");
    assertThat(problem.path("detail").asString())
        .contains(unsigned)
        .contains("image is not signed by the platform key");
    JsonNode events = bridge(alice, "GET", appPath + "/events", null, 200).path("items");
    assertThat(events.get(0).path("reason").asString()).isEqualTo("Refused");
    assertThat(events.get(0).path("type").asString()).isEqualTo("Warning");
    assertThat(events.get(0).path("message").asString()).contains("not signed");
    // the signed revision keeps serving
    assertThat(containers()).hasSize(1);
  }

  @Test
  void anotherTenantsBuiltImageOrAnImageIdIsRefusedWithoutNamingIt() throws Exception {
    // what the platform built for another tenant, signed as every build is
    String other = "rt-other-" + suffix;
    String foreign =
        GovernanceFixture.build(
            GovernanceFixture.BUILD_IMAGE_PREFIX + "/" + other + "/web/site:1",
            "foreign " + suffix,
            Map.of());
    String digest = GovernanceFixture.attest(foreign, GovernanceFixture.PLATFORM);
    String id =
        PODMAN.run(List.of("image", "inspect", "--format", "{{.Id}}", foreign)).stdout().strip();
    String missing = GovernanceFixture.BUILD_IMAGE_PREFIX + "/" + other + "/web/nothing:1";

    for (String body :
        List.of(
            deploy(foreign, null),
            deploy(foreign, digest),
            deploy(foreign.substring(0, foreign.lastIndexOf(':')) + "@" + digest, null),
            // one that does not exist is refused in the same words: no existence oracle
            deploy(missing, null))) {
      JsonNode problem = refused(body);
      assertThat(reasons(problem))
          .containsExactly(
              "images built on this platform are deployed only by the tenant they were built"
                  + " for");
      assertThat(problem.has("digest")).as(problem.toString()).isFalse();
    }
    // an image id, short or full, never resolves to anyone's image
    for (String reference : List.of(id.substring(0, 12), id, "sha256:" + id)) {
      JsonNode problem = refused(deploy(reference, null));
      assertThat(reasons(problem))
          .containsExactly(
              "an image id cannot be deployed: name the image by its repository and full digest"
                  + " (repository@sha256:...)");
      assertThat(problem.toString()).doesNotContain(other).doesNotContain(digest);
    }
    // its digest under a repository of alice's own: podman finds an image by digest alone, so
    // only the image's own names decide, and the refusal is a made-up digest's
    String own = GovernanceFixture.BUILD_IMAGE_PREFIX + "/" + site(alice).tenantId() + "/web/site";
    String madeUp = own + "@sha256:" + "0".repeat(64);
    JsonNode byDigest = refused(deploy(own + "@" + digest, null));
    assertThat(reasons(byDigest))
        .containsExactly("the image " + own + "@" + digest + " cannot be found or read");
    assertThat(byDigest.has("digest")).isFalse();
    assertThat(reasons(refused(deploy(madeUp, null))))
        .containsExactly("the image " + madeUp + " cannot be found or read");
    // a digest cut short is not a digest (the digest field itself is checked at the edge: 400)
    String cut = governedImage("x");
    assertThat(
            reasons(
                refused(
                    deploy(
                        cut.substring(0, cut.lastIndexOf(':')) + "@" + digest.substring(0, 20),
                        null))))
        .containsExactly("a digest must be a full sha256 digest (sha256: and 64 hex digits)");
    assertThat(containers()).isEmpty();
  }

  @Test
  void tamperedImageIsRefused() throws Exception {
    String tag = governedImage("tampered");
    GovernanceFixture.build(tag, "original " + suffix, Map.of());
    String signedDigest = GovernanceFixture.attest(tag, GovernanceFixture.PLATFORM);
    // a layer changed after signing, same tag
    GovernanceFixture.build(tag, "changed " + suffix, Map.of());

    assertThat(reasons(refused(deploy(tag, null))))
        .containsExactly("image is not signed by the platform key");

    // the old signature with its payload edited to name the changed image's digest
    String changedDigest =
        PODMAN.run(List.of("image", "inspect", "--format", "{{.Digest}}", tag)).stdout().strip();
    assertThat(changedDigest).isNotEqualTo(signedDigest);
    ImageSignature old = GovernanceFixture.signatureOf(signedDigest);
    GovernanceFixture.serve(
        changedDigest,
        tag,
        new ImageSignature(
            old.payload().replace(signedDigest, changedDigest), old.signature(), old.keyId()),
        GovernanceFixture.sbomOf(signedDigest));
    assertThat(reasons(refused(deploy(tag, null))))
        .containsExactly(
            "image is not signed by the platform key: the signature was not made by a trusted"
                + " platform key",
            "the vulnerability scan is for "
                + signedDigest
                + ", not for the image to run "
                + changedDigest);
    assertThat(containers()).isEmpty();
  }

  @Test
  void imageSignedWithAnotherKeyIsRefused() throws Exception {
    String image =
        GovernanceFixture.build(governedImage("stranger"), "stranger " + suffix, Map.of());
    GovernanceFixture.attest(image, GovernanceFixture.STRANGER);
    assertThat(reasons(refused(deploy(image, null))))
        .containsExactly(
            "image is not signed by the platform key: the signature was not made by a trusted"
                + " platform key");
  }

  @Test
  void tagMovedToAnotherImageIsRefusedAndRollbackRunsThePinnedDigest() throws Exception {
    String tag = governedImage("swap");
    GovernanceFixture.build(tag, "first " + suffix, Map.of());
    String first = GovernanceFixture.attest(tag, GovernanceFixture.PLATFORM);
    GovernanceFixture.tag(tag, tag.replace(":1", ":keep"));
    bridge(alice, "POST", app, deploy(tag, first), 201);

    // the tag now names another image, itself signed by the platform
    GovernanceFixture.build(tag, "second " + suffix, Map.of());
    String second = GovernanceFixture.attest(tag, GovernanceFixture.PLATFORM);
    JsonNode problem = refused(deploy(tag, first));
    assertThat(reasons(problem))
        .containsExactly("the reference pins " + first + " but the image to run is " + second);

    // a rollback runs the digest revision 1 ran, not what the tag names today
    JsonNode rollback = bridge(alice, "POST", appPath + "/rollback", "{\"revision\":1}", 201);
    assertThat(rollback.path("status").asString()).isEqualTo("live");
    assertThat(rollback.path("digest").asString()).isEqualTo(first);
  }

  @Test
  void waiverLetsAKnownVulnerabilityThroughUntilItExpires() throws Exception {
    GovernanceFixture.advisory(
        "20260101T000000000-" + suffix + ".json",
        """
        {"id": "SLWTEST-%s-1", "modified": "2026-01-01T00:00:00Z",
         "aliases": ["CVE-2026-%s"], "summary": "left-pad pads wrongly",
         "database_specific": {"severity": "CRITICAL"},
         "affected": [{"package": {"ecosystem": "npm", "name": "left-pad-%s"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
        """
            .formatted(suffix, suffix, suffix));
    String image =
        GovernanceFixture.build(
            governedImage("vulnerable"),
            "vulnerable " + suffix,
            Map.of(
                "/app/node_modules/left-pad-" + suffix + "/package.json",
                "{\"name\":\"left-pad-" + suffix + "\",\"version\":\"1.1.0\"}"));
    GovernanceFixture.attest(image, GovernanceFixture.PLATFORM);
    String cve = "CVE-2026-" + suffix;
    assertThat(reasons(refused(deploy(image, null))))
        .containsExactly(
            "SLWTEST-"
                + suffix
                + "-1 ("
                + cve
                + ") in left-pad-"
                + suffix
                + " 1.1.0 is CRITICAL, above the policy's HIGH; fixed in 1.3.0");

    String policy = "/api/v1/tenants/" + tenant + "/image-policy";
    Instant later = Instant.now().plus(1, ChronoUnit.HOURS);
    bridge(alice, "PUT", policy, waiver(cve, later), 200);
    assertThat(bridge(alice, "POST", app, deploy(image, null), 201).path("status").asString())
        .isEqualTo("live");

    Instant past = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    bridge(alice, "PUT", policy, waiver(cve, past), 200);
    assertThat(reasons(refused(deploy(image, null))))
        .anySatisfy(r -> assertThat(r).startsWith("SLWTEST-" + suffix + "-1"))
        .contains("waiver for " + cve + " expired on " + past);
  }

  /**
   * A running image that a new advisory makes fail the policy is flagged once with the reason (it
   * keeps running), not again while nothing changes, and marked as passing again after a waiver.
   */
  @Test
  void runningImageThatANewAdvisoryMakesFailIsFlaggedOnceAndKeepsRunning() throws Exception {
    String image =
        GovernanceFixture.build(
            governedImage("later"),
            "later " + suffix,
            Map.of(
                "/app/node_modules/right-pad-" + suffix + "/package.json",
                "{\"name\":\"right-pad-" + suffix + "\",\"version\":\"2.0.0\"}"));
    GovernanceFixture.attest(image, GovernanceFixture.PLATFORM);
    assertThat(bridge(alice, "POST", app, deploy(image, null), 201).path("status").asString())
        .isEqualTo("live");
    watch.check();
    assertThat(policyEvents()).isEmpty();

    GovernanceFixture.advisory(
        "20260102T000000000-" + suffix + ".json",
        """
        {"id": "SLWTEST-%s-2", "modified": "2026-01-02T00:00:00Z",
         "aliases": ["CVE-2026-9%s"], "summary": "right-pad pads wrongly",
         "database_specific": {"severity": "CRITICAL"},
         "affected": [{"package": {"ecosystem": "npm", "name": "right-pad-%s"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.1.0"}]}]}]}
        """
            .formatted(suffix, suffix, suffix));
    watch.check();
    watch.check();
    List<JsonNode> flagged = policyEvents();
    assertThat(flagged).hasSize(1);
    assertThat(flagged.getFirst().path("type").asString()).isEqualTo("Warning");
    assertThat(flagged.getFirst().path("revision").asInt()).isEqualTo(1);
    assertThat(flagged.getFirst().path("message").asString())
        .contains(image, "now fails the image policy", "SLWTEST-" + suffix + "-2", "fixed in 2.1.0")
        .contains("It keeps running");
    assertThat(containers()).hasSize(1);
    assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/").body())
        .isEqualTo("later " + suffix);

    String cve = "CVE-2026-9" + suffix;
    bridge(
        alice,
        "PUT",
        "/api/v1/tenants/" + tenant + "/image-policy",
        waiver(cve, Instant.now().plus(1, ChronoUnit.HOURS)),
        200);
    watch.check();
    List<JsonNode> after = policyEvents();
    assertThat(after).hasSize(2);
    assertThat(after.getFirst().path("reason").asString()).isEqualTo("PolicyCompliant");
    assertThat(after.getFirst().path("type").asString()).isEqualTo("Normal");
  }

  /** The app's policy events, newest first. */
  private List<JsonNode> policyEvents() throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode event : bridge(alice, "GET", appPath + "/events", null, 200).path("items")) {
      if (event.path("reason").asString().startsWith("Policy")) {
        found.add(event);
      }
    }
    return found;
  }

  private static String waiver(String id, Instant expiresAt) {
    return "{\"waivers\":[{\"advisoryId\":\""
        + id
        + "\",\"reason\":\"not reachable: the app never pads\",\"expiresAt\":\""
        + expiresAt
        + "\"}]}";
  }

  @Test
  void policyAccessRules() throws Exception {
    String policy = "/api/v1/tenants/" + tenant + "/image-policy";
    // another tenant's user: the tenant does not exist for them
    String mallory = user("mallory");
    bridge(mallory, "GET", policy, null, 404);
    bridge(mallory, "PUT", policy, "{}", 404);
    // a viewer reads, but cannot write
    String viewer = user("victor");
    tenantService(
        alice,
        "PUT",
        "/api/v1/tenants/" + tenant + "/members/victor-" + suffix,
        "{\"role\":\"viewer\"}",
        200);
    assertThat(
            bridge(viewer, "GET", policy, null, 200)
                .path("effective")
                .path("requireSigned")
                .asBoolean())
        .isTrue();
    bridge(viewer, "PUT", policy, "{\"maxSeverity\":\"LOW\"}", 403);
    // only a platform admin reads or sets the floor
    bridge(alice, "GET", "/api/v1/admin/image-policy", null, 403);
    bridge(alice, "PUT", "/api/v1/admin/image-policy", STRICT_FLOOR, 403);

    // the tenant-admin may tighten, never loosen
    JsonNode view =
        bridge(
            alice,
            "PUT",
            policy,
            "{\"requireSigned\":false,\"allowedRegistries\":[\"*\"],\"maxSeverity\":\"MEDIUM\"}",
            200);
    assertThat(view.path("policy").path("requireSigned").asBoolean()).isFalse();
    assertThat(view.path("effective").path("requireSigned").asBoolean()).isTrue();
    assertThat(view.path("effective").path("maxSeverity").asString()).isEqualTo("MEDIUM");
    String unsigned =
        GovernanceFixture.build(governedImage("loosen"), "loosen " + suffix, Map.of());
    assertThat(reasons(refused(deploy(unsigned, null))))
        .contains("image is not signed by the platform key");

    // registries: the tenant narrows to one the image is not from
    bridge(alice, "PUT", policy, "{\"allowedRegistries\":[\"registry.example.com/acme\"]}", 200);
    assertThat(reasons(refused(deploy(unsigned, null))))
        .contains(
            "registry localhost is not allowed (allowed: registry.example.com/acme)",
            "image is not signed by the platform key");
    bridge(alice, "PUT", policy, "{\"maxSeverity\":\"SEVERE\"}", 400);
  }
}
