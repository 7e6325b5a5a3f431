package io.slipway.build.git;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

/**
 * Opens the bare repository of the app that {@link GitAccessFilter} already authorized: {@code
 * <dataDir>/<tenant id>/<project id>/<app id>.git}, named by tenant-service's ids so that no two
 * apps share one and a name deleted and registered again starts empty. It is created by the first
 * push; fetching an app that was never pushed to answers "repository not found".
 */
final class TenantRepositoryResolver implements RepositoryResolver<HttpServletRequest> {

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path dataDir;
  private final String initialBranch;

  TenantRepositoryResolver(Path dataDir, String initialBranch) {
    this.dataDir = dataDir;
    this.initialBranch = initialBranch;
  }

  @Override
  public Repository open(HttpServletRequest request, String name)
      throws RepositoryNotFoundException, ServiceNotEnabledException {
    if (!(request.getAttribute(GitAccessFilter.PATH) instanceof GitPath path)
        || !path.repositoryName().equals(name)) {
      // Only what the access filter parsed and checked is ever opened.
      throw new RepositoryNotFoundException(name);
    }
    Path dir = path.ids().repositoryIn(dataDir);
    try {
      if (!Files.isDirectory(dir)) {
        if (!path.push()) {
          throw new RepositoryNotFoundException(name);
        }
        create(dir);
      }
      return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    } catch (IOException e) {
      throw new RepositoryNotFoundException(name, e);
    }
  }

  private synchronized void create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    // Repositories are readable by build-service's user alone: tenant, project and repository
    // directories are created 0700 (a directory others cannot enter hides all below it).
    Files.createDirectories(dir.getParent(), OWNER_ONLY);
    try (Git git =
        Git.init()
            .setBare(true)
            .setDirectory(dir.toFile())
            .setInitialBranch(initialBranch)
            .call()) {
      git.getRepository().getConfig().setBoolean("receive", null, "fsckObjects", true);
      git.getRepository().getConfig().save();
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (GitAPIException e) {
      throw new IOException("could not create " + dir, e);
    }
  }
}
