package io.slipway.build.git;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.tenant.TenantClient;
import io.slipway.build.usage.StorageUsage;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.PostReceiveHookChain;
import org.eclipse.jgit.transport.PreReceiveHookChain;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.ReceivePackFactory;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;

/**
 * Sets up each push: object integrity checks (fsck), the push size limit, the {@link PushPolicy},
 * the {@link StorageQuotaLimit}, the {@link PreviewRefs} of {@code preview/<name>} branches, push
 * options (for {@code -o follow}), and after an accepted push the measuring of its tenant's
 * repositories for its storage usage and the {@link BuildOnPush} hook. Who may push was decided by
 * {@link GitAccessFilter}.
 */
final class GitReceivePackFactory implements ReceivePackFactory<HttpServletRequest> {

  private final BuildProperties properties;
  private final BuildQueue queue;
  private final TenantClient tenants;
  private final StorageUsage usage;

  GitReceivePackFactory(
      BuildProperties properties, BuildQueue queue, TenantClient tenants, StorageUsage usage) {
    this.properties = properties;
    this.queue = queue;
    this.tenants = tenants;
    this.usage = usage;
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
    pack.setAllowPushOptions(true);
    pack.setRefLogIdent(new PersonIdent(user, user + "@slipway"));
    // last: a preview is made only for a ref every other check let through
    PreviewRefs previews = new PreviewRefs(path, user, tenants);
    pack.setPreReceiveHook(
        PreReceiveHookChain.newChain(
            List.of(
                new PushPolicy(properties.deployRef()),
                new StorageQuotaLimit(
                    () -> tenants.storageStanding(path.app().tenant(), path.app().project())),
                previews)));
    BooleanSupplier clientGone =
        request.getAttribute(GitAccessFilter.RESPONSE) instanceof WatchedResponse response
            ? response::clientGone
            : () -> false;
    pack.setPostReceiveHook(
        PostReceiveHookChain.newChain(
            List.<PostReceiveHook>of(
                // the repository's new size, in a thread of its own: the push never waits for it
                (received, commands) -> {
                  if (commands.stream().anyMatch(c -> c.getResult() == ReceiveCommand.Result.OK)) {
                    Thread.ofVirtual()
                        .name("measure-git")
                        .start(
                            () ->
                                usage.repositoriesChanged(
                                    path.app().tenant(), path.ids().tenantId()));
                  }
                },
                previews,
                new BuildOnPush(
                    path,
                    user,
                    properties.deployRef(),
                    new PortalPages(properties.portalBaseUrl()),
                    queue,
                    receivedAt,
                    new BuildLogRelay(
                        queue, properties.pushFollowLimit(), properties.followPushes()),
                    clientGone,
                    previews))));
    return pack;
  }
}
