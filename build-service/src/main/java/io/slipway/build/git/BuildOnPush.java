package io.slipway.build.git;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.queue.BuildRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * The post-receive hook: when the deploy branch moved, it queues a build of the new tip and tells
 * the pusher where to follow it: the build's page in the portal, and the command that follows its
 * log. It never builds. The push returns as soon as the row is written, unless the pusher asked
 * with the push option {@value #FOLLOW} to have the build's log relayed ({@link BuildLogRelay}).
 */
final class BuildOnPush implements PostReceiveHook {

  /** The push option ({@code git push -o follow}) that holds the push open to relay the log. */
  static final String FOLLOW = "follow";

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
        pack.sendMessage("Slipway: follow its log: " + logCommand(path.app(), build.number()));
        if (relay.enabled() && followRequested(pack)) {
          relay.follow(pack, path.app(), build.number(), pages, clientGone);
        }
      }
    }
  }

  private static boolean followRequested(ReceivePack pack) {
    List<String> options = pack.getPushOptions();
    return options != null && options.contains(FOLLOW);
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
