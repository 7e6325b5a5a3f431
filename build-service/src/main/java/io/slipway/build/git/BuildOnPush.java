package io.slipway.build.git;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.queue.BuildRequest;
import java.time.Instant;
import java.util.Collection;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * The post-receive hook: when the deploy branch moved, it queues a build of the new tip and tells
 * the pusher where to follow it: the build's page in the portal, and the command that follows its
 * log. It never builds: the push returns as soon as the row is written.
 */
final class BuildOnPush implements PostReceiveHook {

  private final GitPath path;
  private final String pusher;
  private final String deployRef;
  private final String portalUrl;
  private final BuildQueue queue;
  private final Instant receivedAt;

  BuildOnPush(
      GitPath path,
      String pusher,
      String deployRef,
      String portalUrl,
      BuildQueue queue,
      Instant receivedAt) {
    this.receivedAt = receivedAt;
    this.path = path;
    this.pusher = pusher;
    this.deployRef = deployRef;
    this.portalUrl = portalUrl;
    this.queue = queue;
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
        pack.sendMessage("Slipway: " + buildPage(path.app(), build.number()));
        pack.sendMessage("Slipway: follow its log: " + logCommand(path.app(), build.number()));
      }
    }
  }

  /** The build's page as the portal routes it: by the app's names, never its ids. */
  String buildPage(AppRef app, int number) {
    return portalUrl
        + "/t/"
        + app.tenant()
        + "/p/"
        + app.project()
        + "/a/"
        + app.app()
        + "/builds/"
        + number;
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
