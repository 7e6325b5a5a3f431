package io.slipway.build.worker;

import io.slipway.build.governance.ImageAttestations;
import io.slipway.build.process.CommandRunner;
import io.slipway.build.queue.Build;
import io.slipway.build.registry.RegistryAuthProperties;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.governance.signing.OciAttachment;
import io.slipway.governance.signing.SigstoreAttachment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes a built image to the configured registry ({@code slipway.build.registry.*}) as {@code
 * <url>/<tenant>/<project>/<app>:<commit>} with skopeo, and beside it its SBOM and its signatures
 * as attachments that cosign and containers/image ({@code use-sigstore-attachments}) read.
 */
final class RegistryPush {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A push's result: the image's reference by digest in the registry, or why it failed. */
  record Pushed(String reference, String failure) {
    boolean failed() {
      return failure != null;
    }
  }

  private final RegistryProperties registry;
  private final RegistryAuthProperties auth;
  private final CommandRunner runner;
  private final ImageAttestations attestations;

  RegistryPush(
      RegistryProperties registry,
      RegistryAuthProperties auth,
      CommandRunner runner,
      ImageAttestations attestations) {
    this.registry = registry;
    this.auth = auth;
    this.runner = runner;
    this.attestations = attestations;
  }

  /**
   * Pushes {@code image} of {@code build}, then beside it its SBOM ({@code sha256-<hex>.sbom}) and
   * its signatures ({@code sha256-<hex>.sig}: the platform's signature for the registry repository
   * and the digest the registry serves, added to those already there, so a digest signed before a
   * key rotation keeps its older signatures), writing skopeo's digest file and the attachments'
   * layouts into {@code dir} and skopeo's output to {@code log}; empty when no registry is
   * configured.
   */
  Optional<Pushed> push(Build build, String image, Path dir, Consumer<String> log)
      throws IOException, InterruptedException {
    if (!registry.enabled()) {
      return Optional.empty();
    }
    String repository = registry.url() + "/" + build.ids().path();
    Path authFile = authFile(dir);
    SkopeoCopy copy =
        new SkopeoCopy(
            image,
            repository + ":" + build.commitId(),
            dir.resolve("pushed-digest"),
            registry.tlsVerify(),
            authFile);
    String failure = run(copy.arguments(), "the image", log);
    if (failure != null) {
      return Optional.of(new Pushed(null, failure));
    }
    String digest = Files.readString(copy.digestFile()).trim();
    String reference = repository + "@" + digest;
    log.accept("Pushed " + reference);

    Optional<byte[]> sbom = attestations.sbom(build.id());
    if (sbom.isPresent()) {
      OciAttachment attachment = OciAttachment.sbom(digest, sbom.get());
      failure =
          upload(attachment, repository, dir.resolve("sbom"), "the image's SBOM", authFile, log);
      if (failure != null) {
        return Optional.of(new Pushed(null, failure));
      }
    }

    ImageSignature signature = attestations.registrySignature(repository, digest);
    String sigTag = OciAttachment.tagFor(digest, SigstoreAttachment.SUFFIX);
    SkopeoAttachmentCopy fetch =
        new SkopeoAttachmentCopy(
            dir.resolve("signed-before"),
            repository + ":" + sigTag,
            registry.tlsVerify(),
            authFile);
    List<String> fetched = new ArrayList<>();
    CommandRunner.Outcome outcome =
        runner.run(fetch.fetchArguments(), registry.timeout(), fetched::add);
    SigstoreAttachment signatures;
    if (outcome.succeeded()) {
      try {
        signatures =
            SigstoreAttachment.of(OciAttachment.readLayout(fetch.layout(), sigTag)).with(signature);
      } catch (IOException | IllegalArgumentException e) {
        // what is there is no signature attachment: replaced by one that is
        log.accept(repository + ":" + sigTag + " is no signature attachment; it is replaced");
        signatures = new SigstoreAttachment(signature);
      }
    } else if (fetched.stream().anyMatch(line -> line.contains("manifest unknown"))) {
      signatures = new SigstoreAttachment(signature);
    } else {
      fetched.forEach(log);
      return Optional.of(
          new Pushed(
              null,
              "reading the image's signatures from "
                  + registry.url()
                  + " failed (skopeo exit code "
                  + outcome.exitCode()
                  + (outcome.timedOut() ? ", timed out" : "")
                  + ")"));
    }
    failure =
        upload(
            signatures.attachment(),
            repository,
            dir.resolve("signature"),
            "the image's signature",
            authFile,
            log);
    if (failure != null) {
      return Optional.of(new Pushed(null, failure));
    }
    log.accept(
        "Pushed the signature "
            + repository
            + ":"
            + sigTag
            + " (key "
            + signature.keyId().substring(0, 12)
            + (signatures.signatures().size() > 1
                ? "; " + signatures.signatures().size() + " signatures of this digest"
                : "")
            + ")");
    return Optional.of(new Pushed(reference, null));
  }

  /** Writes the attachment's layout into {@code layout} and uploads it; the failure, or null. */
  private String upload(
      OciAttachment attachment,
      String repository,
      Path layout,
      String what,
      Path authFile,
      Consumer<String> log)
      throws IOException, InterruptedException {
    attachment.writeLayout(layout);
    SkopeoAttachmentCopy upload =
        new SkopeoAttachmentCopy(
            layout, repository + ":" + attachment.tag(), registry.tlsVerify(), authFile);
    return run(upload.arguments(), what, log);
  }

  /**
   * With the token service on, the platform credential as a containers-auth.json in {@code dir}
   * (0600, never on the command line or in the log); the token service grants it this build's
   * repository only while the build runs. Null: anonymous.
   */
  private Path authFile(Path dir) throws IOException {
    if (!auth.enabled()) {
      return null;
    }
    Path file = dir.resolve("registry-auth.json");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (auth.platformUsername() + ":" + auth.platformPassword())
                    .getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        file,
        JSON.writeValueAsString(Map.of("auths", Map.of(registry.url(), Map.of("auth", basic)))));
    return file;
  }

  /** Runs one skopeo copy; the reason it failed, or null. */
  private String run(List<String> arguments, String what, Consumer<String> log)
      throws IOException, InterruptedException {
    log.accept("$ " + String.join(" ", arguments));
    CommandRunner.Outcome outcome = runner.run(arguments, registry.timeout(), log);
    if (outcome.timedOut()) {
      return "pushing "
          + what
          + " to "
          + registry.url()
          + " took longer than "
          + registry.timeout();
    }
    if (!outcome.succeeded()) {
      return "pushing "
          + what
          + " to "
          + registry.url()
          + " failed (skopeo exit code "
          + outcome.exitCode()
          + ")";
    }
    return null;
  }
}
