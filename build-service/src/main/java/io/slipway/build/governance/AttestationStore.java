package io.slipway.build.governance;

import io.slipway.governance.signing.ImageSignature;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** What governance recorded for each built image, in table {@code image_attestation}. */
@Repository
class AttestationStore {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<FindingView>> FINDINGS = new TypeReference<>() {};

  /** One built image's SBOM, findings and signature. */
  record Attestation(
      UUID buildId,
      String digest,
      String reference,
      byte[] sbom,
      List<FindingView> findings,
      String advisoryRevision,
      ImageSignature signature) {}

  private final JdbcClient jdbc;

  AttestationStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void save(Attestation a) {
    jdbc.sql(
            """
            insert into image_attestation (build_id, digest, reference, sbom, findings,
                advisory_revision, sig_payload, sig_signature, sig_key_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (build_id) do update set digest = excluded.digest,
                reference = excluded.reference, sbom = excluded.sbom,
                findings = excluded.findings, advisory_revision = excluded.advisory_revision,
                sig_payload = excluded.sig_payload, sig_signature = excluded.sig_signature,
                sig_key_id = excluded.sig_key_id, scanned_at = now()
            """)
        .params(
            a.buildId(),
            a.digest(),
            a.reference(),
            a.sbom(),
            JSON.writeValueAsString(a.findings()),
            a.advisoryRevision(),
            a.signature().payload(),
            a.signature().signature(),
            a.signature().keyId())
        .update();
  }

  Optional<Attestation> byBuild(UUID buildId) {
    return jdbc.sql("select * from image_attestation where build_id = ?")
        .param(buildId)
        .query(AttestationStore::row)
        .optional();
  }

  /**
   * The latest build's record of the image with this digest in {@code repository} (a signature
   * names its repository: two apps whose builds came out byte for byte the same share a digest but
   * not a signature); without a repository, or with none of its own, the latest record of the
   * digest.
   */
  Optional<Attestation> byDigest(String digest, String repository) {
    List<Attestation> records =
        jdbc.sql("select * from image_attestation where digest = ? order by created_at desc")
            .param(digest)
            .query(AttestationStore::row)
            .list();
    return records.stream()
        .filter(a -> repository != null && repository.equals(repositoryOf(a.reference())))
        .findFirst()
        .or(() -> records.stream().findFirst());
  }

  /** {@code registry/name:tag} or {@code registry/name@digest} without the tag or digest. */
  static String repositoryOf(String reference) {
    String name =
        reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  /** Builds whose scan was made under another advisory revision. */
  List<UUID> staleScans(String revision) {
    return jdbc.sql("select build_id from image_attestation where advisory_revision <> ?")
        .param(revision)
        .query(UUID.class)
        .list();
  }

  void updateScan(UUID buildId, List<FindingView> findings, String revision) {
    jdbc.sql(
            "update image_attestation set findings = ?, advisory_revision = ?, scanned_at = now()"
                + " where build_id = ?")
        .params(JSON.writeValueAsString(findings), revision, buildId)
        .update();
  }

  /** Signed flag and findings of several builds at once (for build lists). */
  Map<UUID, Attestation> byBuilds(Collection<UUID> buildIds) {
    if (buildIds.isEmpty()) {
      return Map.of();
    }
    return jdbc
        .sql("select * from image_attestation where build_id in (:ids)")
        .param("ids", buildIds)
        .query(AttestationStore::row)
        .list()
        .stream()
        .collect(Collectors.toMap(Attestation::buildId, a -> a));
  }

  private static Attestation row(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
    return new Attestation(
        rs.getObject("build_id", UUID.class),
        rs.getString("digest"),
        rs.getString("reference"),
        rs.getBytes("sbom"),
        JSON.readValue(rs.getString("findings"), FINDINGS),
        rs.getString("advisory_revision"),
        new ImageSignature(
            rs.getString("sig_payload"),
            rs.getString("sig_signature"),
            rs.getString("sig_key_id")));
  }
}
