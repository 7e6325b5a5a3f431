package io.slipway.build.git;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.queue.BuildRequest;
import io.slipway.build.tenant.AppIds;
import java.time.Instant;
import java.util.Collection;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * The post-receive hook: when the deploy branch moved, it queues a build of the new tip (and for a
 * {@code preview/<name>} branch that {@link PreviewRefs} made a preview for, a build of it as that
 * preview's app, from this repository) and tells the pusher where to follow it: the build's page in
 * the portal, and the command that follows its log. It never builds. The push is then held to relay
 * the build's log and how its deploy went ({@link BuildLogRelay}), unless the pusher sent {@code -o
 * no-follow} (or the platform follows pushes only when asked with {@code -o follow}): then it
 * returns as soon as the row is written.
 */
final class BuildOnPush implements PostReceiveHook {

  private final GitPath path;
  private final String pusher;
  private final String deployRef;
  private final PortalPages pages;
  private final BuildQueue queue;
  private final Instant receivedAt;
  private final BuildLogRelay relay;
  private final BooleanSupplier clientGone;
  private final PreviewRefs previews;

  BuildOnPush(
      GitPath path,
      String pusher,
      String deployRef,
      PortalPages pages,
      BuildQueue queue,
      Instant receivedAt,
      BuildLogRelay relay,
      BooleanSupplier clientGone,
      PreviewRefs previews) {
    this.previews = previews;
    this.receivedAt = receivedAt;
    this.path = path;
    this.pusher = pusher;
    this.deployRef = deployRef;
    this.pages = pages;
    this.queue = queue;
    this.relay = relay;
    this.clientGone = clientGone;
  }

  @Override
  public void onPostReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
    for (ReceiveCommand command : commands) {
      if (command.getType() == ReceiveCommand.Type.DELETE
          || command.getResult() != ReceiveCommand.Result.OK) {
        continue;
      }
      if (command.getRefName().equals(deployRef)) {
        build(pack, command, path.app(), path.ids());
      } else {
        previews
            .previewOf(command.getRefName())
            .ifPresent(
                preview ->
                    build(
                        pack,
                        command,
                        new AppRef(path.app().tenant(), path.app().project(), preview.app()),
                        preview.ids()));
      }
    }
  }

  /** Queues the build of the pushed commit, from this repository, as the app {@code app}. */
  private void build(ReceivePack pack, ReceiveCommand command, AppRef app, AppIds ids) {
    Build build =
        queue.enqueue(
            new BuildRequest(
                app,
                ids,
                path.ids(),
                command.getNewId().name(),
                command.getRefName(),
                pusher,
                receivedAt));
    pack.sendMessage(
        "Slipway: build #"
            + build.number()
            + " of "
            + command.getNewId().abbreviate(12).name()
            + " queued for "
            + app);
    pack.sendMessage("Slipway: " + pages.build(app, build.number()));
    if (relay.wanted(pack.getPushOptions())) {
      pack.sendMessage(
          "Slipway: following it here until it is live (git push -o no-follow returns at"
              + " once; Ctrl-C leaves, the build goes on)");
      relay.follow(pack, app, build.number(), pages, clientGone);
    } else {
      pack.sendMessage("Slipway: follow its log: " + logCommand(app, build.number()));
    }
  }

  static String logCommand(AppRef app, int number) {
    return "slipway-cli builds logs "
        + number
        + " --tenant "
        + app.tenant()
        + " --project "
        + app.project()
        + " --app "
        + app.app();
  }
}
