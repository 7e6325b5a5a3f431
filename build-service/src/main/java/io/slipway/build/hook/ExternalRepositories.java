package io.slipway.build.hook;

import io.slipway.build.BuildProperties;
import io.slipway.build.tenant.AppIds;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The app's cache of its external repository: a bare repository at the same place as a hosted one
 * ({@code <data-dir>/<tenant>/<project>/<app>.git}), so the build workers read both alike. A
 * webhook fetches the pushed branch into it with JGit; fetches of one app never overlap.
 */
@Component
class ExternalRepositories {

  private static final Logger log = LoggerFactory.getLogger(ExternalRepositories.class);
  private static final int MAX_URL = 500;

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
    fetch(app, url, ref, ref, commit, false);
  }

  /**
   * Fetches {@code ref} from {@code url} into the app's cache as {@code into} and checks that its
   * tip is exactly {@code commit}: for a pull request, whose head is a ref of the app's own
   * repository, kept apart from the deploy branch. 422 {@code commit-not-found} when the tip is
   * another commit (the pull request moved on since the delivery: the next delivery builds it).
   */
  void fetchExact(AppIds app, String url, String ref, String into, String commit) {
    fetch(app, url, ref, into, commit, true);
  }

  /** Deletes {@code ref} of the app's cache, if it has one (a closed pull request's head). */
  void deleteRef(AppIds app, String ref) {
    Path gitDir = app.repositoryIn(properties.dataDir());
    if (!Files.isDirectory(gitDir)) {
      return;
    }
    ReentrantLock lock = locks.computeIfAbsent(app.appId(), key -> new ReentrantLock());
    lock.lock();
    try (Repository repository = open(gitDir)) {
      if (repository.exactRef(ref) != null) {
        RefUpdate update = repository.updateRef(ref);
        update.setForceUpdate(true);
        update.delete();
      }
    } catch (IOException e) {
      log.warn("Could not delete {} of {}: {}", ref, app, e.toString());
    } finally {
      lock.unlock();
    }
  }

  private void fetch(AppIds app, String url, String ref, String into, String commit, boolean tip) {
    checkUrl(url, properties.externalGitSchemes());
    Path gitDir = app.repositoryIn(properties.dataDir());
    ReentrantLock lock = locks.computeIfAbsent(app.appId(), key -> new ReentrantLock());
    lock.lock();
    try (Repository repository = open(gitDir);
        Git git = Git.wrap(repository)) {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(new RefSpec("+" + ref + ":" + into))
          .setTimeout((int) Math.max(1, properties.fetchTimeout().toSeconds()))
          .setCheckFetchedObjects(true)
          .call();
      ObjectId id = ObjectId.fromString(commit);
      Ref fetched = repository.exactRef(into);
      boolean found =
          tip
              ? fetched != null && id.equals(fetched.getObjectId())
              : repository.getObjectDatabase().has(id)
                  && repository.getObjectDatabase().open(id).getType() == Constants.OBJ_COMMIT;
      if (!found) {
        throw Problem.invalid(
            "commit-not-found",
            "Commit "
                + commit
                + (tip ? " is not the tip of " : " is not on ")
                + ref
                + " of "
                + redacted(url)
                + " (fetched just now)");
      }
    } catch (GitAPIException | IOException e) {
      // The cause names resolved addresses and server internals: logged, never answered.
      log.info("Fetching {} of {} for {} failed: {}", ref, redacted(url), app, e.toString());
      throw Problem.upstream(
          "fetch-failed",
          "Could not fetch "
              + ref
              + " from "
              + redacted(url)
              + ": check that the repository exists and is readable without credentials");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses, before JGit sees it, a source URL that is too long, holds white space or control
   * characters, is not absolute, has a scheme outside the allowed ones, has no host (except {@code
   * file:}) or carries credentials.
   */
  static void checkUrl(String url, java.util.List<String> schemes) {
    URI uri = parse(url);
    String scheme = uri == null ? null : uri.getScheme();
    if (scheme == null || !schemes.contains(scheme.toLowerCase(Locale.ROOT))) {
      throw Problem.invalid(
          "source-not-allowed",
          "The app's sourceRef "
              + (uri == null ? "" : redacted(url) + " ")
              + "is not a URL with an allowed scheme ("
              + String.join(", ", schemes)
              + ")");
    }
    boolean file = scheme.equalsIgnoreCase("file");
    if ((!file && (uri.getHost() == null || uri.getHost().isBlank()))
        || uri.getRawUserInfo() != null) {
      throw Problem.invalid(
          "source-not-allowed",
          "The app's sourceRef must name a host and carry no credentials; use a public"
              + " repository URL");
    }
  }

  private static URI parse(String url) {
    if (url == null
        || url.length() > MAX_URL
        || !url.codePoints().allMatch(c -> c > 0x20 && c != 0x7f)) {
      return null;
    }
    try {
      URI uri = new URI(url);
      return uri.isAbsolute() ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** The URL without any user info, for messages. */
  private static String redacted(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }

  private static Repository open(Path gitDir) throws IOException {
    Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build();
    if (!repository.getObjectDatabase().exists()) {
      // readable by build-service's user alone, like a hosted repository
      Files.createDirectories(
          gitDir.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      repository.create(true);
      Files.setPosixFilePermissions(gitDir, PosixFilePermissions.fromString("rwx------"));
    }
    return repository;
  }
}
