package io.slipway.build.git;

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
 * the pusher where to follow it. It never builds: the push returns as soon as the row is written.
 */
final class BuildOnPush implements PostReceiveHook {

  private final GitPath path;
  private final String pusher;
  private final String deployRef;
  private final String publicUrl;
  private final BuildQueue queue;
  private final Instant receivedAt;

  BuildOnPush(
      GitPath path,
      String pusher,
      String deployRef,
      String publicUrl,
      BuildQueue queue,
      Instant receivedAt) {
    this.receivedAt = receivedAt;
    this.path = path;
    this.pusher = pusher;
    this.deployRef = deployRef;
    this.publicUrl = publicUrl;
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
        pack.sendMessage(
            "Slipway: " + publicUrl + path.app().apiPath() + "/builds/" + build.number());
      }
    }
  }
}
