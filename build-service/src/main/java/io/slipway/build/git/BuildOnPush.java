package io.slipway.build.git;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.queue.BuildRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * The post-receive hook: when the deploy branch moved, it queues a build of the new tip and tells
 * the pusher where to follow it: the build's page in the portal, and the command that follows its
 * log. It never builds. The push is then held to relay the build's log and how its deploy went
 * ({@link BuildLogRelay}), unless the pusher sent {@code -o no-follow} (or the platform follows
 * pushes only when asked with {@code -o follow}): then it returns as soon as the row is written.
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

  BuildOnPush(
      GitPath path,
      String pusher,
      String deployRef,
      PortalPages pages,
      BuildQueue queue,
      Instant receivedAt,
      BuildLogRelay relay,
      BooleanSupplier clientGone) {
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
      if (command.getRefName().equals(deployRef)
          && command.getType() != ReceiveCommand.Type.DELETE) {
        Build build =
            queue.enqueue(
                new BuildRequest(
                    path.app(),
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
                + path.app());
        pack.sendMessage("Slipway: " + pages.build(path.app(), build.number()));
        if (relay.wanted(pack.getPushOptions())) {
          pack.sendMessage(
              "Slipway: following it here until it is live (git push -o no-follow returns at"
                  + " once; Ctrl-C leaves, the build goes on)");
          relay.follow(pack, path.app(), build.number(), pages, clientGone);
        } else {
          pack.sendMessage("Slipway: follow its log: " + logCommand(path.app(), build.number()));
        }
      }
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
