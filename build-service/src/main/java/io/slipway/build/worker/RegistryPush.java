package io.slipway.build.worker;

import io.slipway.build.governance.ImageAttestations;
import io.slipway.build.process.CommandRunner;
import io.slipway.build.queue.Build;
import io.slipway.governance.signing.SigstoreAttachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pushes a built image to the configured registry ({@code slipway.build.registry.*}) as {@code
 * <url>/<tenant>/<project>/<app>:<commit>} with skopeo, and its platform signature beside it as a
 * sigstore attachment that cosign and containers/image ({@code use-sigstore-attachments}) read.
 */
final class RegistryPush {

  /** A push's result: the image's reference by digest in the registry, or why it failed. */
  record Pushed(String reference, String failure) {
    boolean failed() {
      return failure != null;
    }
  }

  private final RegistryProperties registry;
  private final CommandRunner runner;
  private final ImageAttestations attestations;

  RegistryPush(RegistryProperties registry, CommandRunner runner, ImageAttestations attestations) {
    this.registry = registry;
    this.runner = runner;
    this.attestations = attestations;
  }

  /**
   * Pushes {@code image} of {@code build}, then its platform signature as a sigstore attachment
   * ({@code sha256-<hex>.sig}, signed for the registry repository and the digest the registry
   * serves), writing skopeo's digest file and the signature's layout into {@code dir} and skopeo's
   * output to {@code log}; empty when no registry is configured.
   */
  Optional<Pushed> push(Build build, String image, Path dir, Consumer<String> log)
      throws IOException, InterruptedException {
    if (!registry.enabled()) {
      return Optional.empty();
    }
    String repository = registry.url() + "/" + build.ids().path();
    SkopeoCopy copy =
        new SkopeoCopy(
            image,
            repository + ":" + build.commitId(),
            dir.resolve("pushed-digest"),
            registry.tlsVerify());
    String failure = run(copy.arguments(), "the image", log);
    if (failure != null) {
      return Optional.of(new Pushed(null, failure));
    }
    String digest = Files.readString(copy.digestFile()).trim();
    String reference = repository + "@" + digest;
    log.accept("Pushed " + reference);

    SigstoreAttachment attachment = attestations.registrySignature(repository, digest);
    Path layout = dir.resolve("signature");
    attachment.writeLayout(layout);
    SkopeoAttachmentCopy signatureCopy =
        new SkopeoAttachmentCopy(layout, repository + ":" + attachment.tag(), registry.tlsVerify());
    failure = run(signatureCopy.arguments(), "the image's signature", log);
    if (failure != null) {
      return Optional.of(new Pushed(null, failure));
    }
    log.accept(
        "Pushed the signature "
            + repository
            + ":"
            + attachment.tag()
            + " (key "
            + attachment.signature().keyId().substring(0, 12)
            + ")");
    return Optional.of(new Pushed(reference, null));
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
