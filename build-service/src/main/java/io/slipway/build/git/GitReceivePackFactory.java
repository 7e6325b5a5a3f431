package io.slipway.build.git;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.BuildQueue;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.ReceivePackFactory;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;

/**
 * Sets up each push: object integrity checks (fsck), the push size limit, the {@link PushPolicy}
 * and the {@link BuildOnPush} hook. Who may push was decided by {@link GitAccessFilter}.
 */
final class GitReceivePackFactory implements ReceivePackFactory<HttpServletRequest> {

  private final BuildProperties properties;
  private final BuildQueue queue;

  GitReceivePackFactory(BuildProperties properties, BuildQueue queue) {
    this.properties = properties;
    this.queue = queue;
  }

  @Override
  public ReceivePack create(HttpServletRequest request, Repository db)
      throws ServiceNotAuthorizedException {
    if (!(request.getAttribute(GitAccessFilter.PATH) instanceof GitPath path)
        || !path.push()
        || !(request.getAttribute(GitAccessFilter.USER) instanceof String user)) {
      throw new ServiceNotAuthorizedException();
    }
    Instant receivedAt = Instant.now();
    ReceivePack pack = new ReceivePack(db);
    pack.setCheckReceivedObjects(true);
    pack.setMaxPackSizeLimit(properties.maxPushSize().toBytes());
    pack.setAllowCreates(true);
    pack.setAllowDeletes(true);
    pack.setAllowNonFastForwards(true);
    pack.setRefLogIdent(new PersonIdent(user, user + "@slipway"));
    pack.setPreReceiveHook(new PushPolicy(properties.deployRef()));
    pack.setPostReceiveHook(
        new BuildOnPush(
            path, user, properties.deployRef(), properties.publicBaseUrl(), queue, receivedAt));
    return pack;
  }
}
