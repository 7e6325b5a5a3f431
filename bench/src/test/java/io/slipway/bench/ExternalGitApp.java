package io.slipway.bench;

import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A new user's new tenant with an external-git app {@code shop} on a forge of its own, whose
 * webhook the forge signs with the app's secret: the app's main branch is delivered (its build
 * queued, not awaited).
 */
record ExternalGitApp(Deployer deployer, Previews previews, Forge forge, Deployer.App app) {

  static ExternalGitApp create(TestPlatform platform, Path work, Sample sample) {
    GitCli git = new GitCli(work);
    String user = "pr-" + UUID.randomUUID().toString().substring(0, 8);
    String password = TestKeycloak.createUser(user);
    Deployer deployer =
        Deployer.newTenant(platform, TestKeycloak.userToken(user, password), git, work);
    Previews previews = new Previews(platform, user, password, deployer.tenant());
    Forge forge = Forge.of(deployer, git, work, sample);
    Deployer.App app = deployer.createExternalApp("shop", forge.sourceRef());
    previews.connect(forge, app);
    forge.githubPush(forge.pushMain("main")).expect(202);
    return new ExternalGitApp(deployer, previews, forge, app);
  }
}
