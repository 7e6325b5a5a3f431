package io.slipway.build.hook;

import io.slipway.build.BuildProperties;
import io.slipway.build.tenant.AppIds;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.springframework.stereotype.Component;

/**
 * The app's cache of its external repository: a bare repository at the same place as a hosted one
 * ({@code <data-dir>/<tenant>/<project>/<app>.git}), so the build workers read both alike. A
 * webhook fetches the pushed branch into it with JGit; fetches of one app never overlap.
 */
@Component
class ExternalRepositories {

  private final BuildProperties properties;
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  ExternalRepositories(BuildProperties properties) {
    this.properties = properties;
  }

  /**
   * Fetches {@code ref} from {@code url} into the app's cache and checks that {@code commit}
   * arrived: 422 when the URL's scheme is not allowed or the commit is not on the ref, 502 when the
   * external server cannot be read.
   */
  void fetch(AppIds app, String url, String ref, String commit) {
    checkScheme(url);
    Path gitDir = app.repositoryIn(properties.dataDir());
    ReentrantLock lock = locks.computeIfAbsent(app.appId(), key -> new ReentrantLock());
    lock.lock();
    try (Repository repository = open(gitDir);
        Git git = Git.wrap(repository)) {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(new RefSpec("+" + ref + ":" + ref))
          .setTimeout((int) Math.max(1, properties.fetchTimeout().toSeconds()))
          .setCheckFetchedObjects(true)
          .call();
      ObjectId id = ObjectId.fromString(commit);
      if (!repository.getObjectDatabase().has(id)
          || repository.getObjectDatabase().open(id).getType() != Constants.OBJ_COMMIT) {
        throw Problem.invalid(
            "commit-not-found",
            "Commit " + commit + " is not on " + ref + " of " + url + " (fetched just now)");
      }
    } catch (GitAPIException | IOException e) {
      throw Problem.upstream(
          "fetch-failed", "Could not fetch " + ref + " from " + url + ": " + e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  private void checkScheme(String url) {
    String scheme;
    try {
      scheme = new URI(url).getScheme();
    } catch (URISyntaxException e) {
      scheme = null;
    }
    if (scheme == null
        || !properties.externalGitSchemes().contains(scheme.toLowerCase(Locale.ROOT))) {
      throw Problem.invalid(
          "source-not-allowed",
          "The app's sourceRef "
              + url
              + " is not a URL with an allowed scheme ("
              + String.join(", ", properties.externalGitSchemes())
              + ")");
    }
  }

  private static Repository open(Path gitDir) throws IOException {
    Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build();
    if (!repository.getObjectDatabase().exists()) {
      repository.create(true);
    }
    return repository;
  }
}
