package io.slipway.build.git;

import io.slipway.build.tenant.TenantClient;
import io.slipway.build.tenant.TenantClient.PreviewAnswer;
import io.slipway.build.tenant.TenantClient.PreviewApp;
import io.slipway.build.tenant.TenantClient.PreviewRefused;
import io.slipway.kit.validation.AppNames;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Branches {@code preview/<name>} of an app's repository are its previews (issue 25). Before the
 * refs move, each pushed one is made (or found) in tenant-service as the preview {@code <name>} of
 * the app, recording the branch and commit, as the pusher: a bad name or tenant-service's refusal
 * (the {@code previews} quota full, the pusher no longer a developer) rejects that ref alone, with
 * the reason git prints. After the refs moved, a deleted {@code preview/<name>} branch deletes its
 * preview, whose {@code app.deleted} event then removes what it ran and built. {@link BuildOnPush}
 * builds the previews made here.
 */
final class PreviewRefs implements PreReceiveHook, PostReceiveHook {

  static final String PREFIX = "refs/heads/preview/";

  private static final Logger log = LoggerFactory.getLogger(PreviewRefs.class);
  private static final String UNREACHABLE =
      "tenant-service did not answer; push the branch again in a moment";

  private final GitPath path;
  private final String pusher;
  private final TenantClient tenants;
  private final Map<String, PreviewApp> made = new ConcurrentHashMap<>();

  PreviewRefs(GitPath path, String pusher, TenantClient tenants) {
    this.path = path;
    this.pusher = pusher;
    this.tenants = tenants;
  }

  /** The preview a pushed ref was made for, to build; empty for other refs. */
  Optional<PreviewApp> previewOf(String refName) {
    return Optional.ofNullable(made.get(refName));
  }

  /** The preview's name in a {@code preview/<name>} branch; empty for other refs. */
  static Optional<String> nameIn(String refName) {
    return refName.startsWith(PREFIX)
        ? Optional.of(refName.substring(PREFIX.length()))
        : Optional.empty();
  }

  @Override
  public void onPreReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
    for (ReceiveCommand command : commands) {
      Optional<String> name = nameIn(command.getRefName());
      if (name.isEmpty()
          || command.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED
          // deleting a branch is never refused here: one named before this rule has no preview
          || command.getType() == ReceiveCommand.Type.DELETE) {
        continue;
      }
      if (!AppNames.isLabel(name.get())) {
        command.setResult(
            ReceiveCommand.Result.REJECTED_OTHER_REASON,
            "preview name '"
                + name.get()
                + "' not allowed: "
                + AppNames.PREVIEW_RULE
                + "; push to preview/<name>, e.g. preview/feature-x");
      } else {
        ensure(command, name.get());
      }
    }
  }

  private void ensure(ReceiveCommand command, String name) {
    PreviewAnswer answer;
    try {
      answer =
          tenants.pushPreview(
              path.ids(),
              path.app().tenant(),
              path.app().project(),
              path.app().app(),
              name,
              pusher,
              command.getRefName().substring("refs/heads/".length()),
              command.getNewId().name());
    } catch (RuntimeException e) {
      log.warn("Could not make preview {} of {}: {}", name, path.app(), e.toString());
      answer = new PreviewRefused(UNREACHABLE);
    }
    switch (answer) {
      case PreviewApp app -> made.put(command.getRefName(), app);
      case PreviewRefused refused ->
          command.setResult(
              ReceiveCommand.Result.REJECTED_OTHER_REASON,
              "preview '" + name + "' refused: " + refused.reason());
    }
  }

  @Override
  public void onPostReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
    for (ReceiveCommand command : commands) {
      Optional<String> name = nameIn(command.getRefName());
      if (name.isEmpty()
          || !AppNames.isLabel(name.get())
          || command.getType() != ReceiveCommand.Type.DELETE
          || command.getResult() != ReceiveCommand.Result.OK) {
        continue;
      }
      String app = AppNames.previewApp(name.get(), path.app().app());
      Optional<String> refused;
      try {
        refused =
            tenants.deletePushedPreview(
                path.app().tenant(), path.app().project(), path.app().app(), name.get(), pusher);
      } catch (RuntimeException e) {
        log.warn("Could not delete preview {} of {}: {}", name.get(), path.app(), e.toString());
        refused = Optional.of(UNREACHABLE);
      }
      pack.sendMessage(
          refused.isEmpty()
              ? "Slipway: preview "
                  + name.get()
                  + " deleted: its app "
                  + app
                  + " stops, and its builds and images are removed"
              : "Slipway: the branch is deleted but preview "
                  + name.get()
                  + " is not: "
                  + refused.get());
    }
  }
}
