package io.slipway.build.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the files of one commit of a bare repository into a build context directory. Regular files
 * and executables only: symbolic links and submodules are skipped, so a repository cannot make the
 * build read anything outside its own context.
 */
final class SourceExport {

  private SourceExport() {}

  /** Exports {@code commitId} of the bare repository {@code gitDir} into {@code target}. */
  static void export(Path gitDir, String commitId, Path target) throws IOException {
    try (Repository repository =
            new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
        RevWalk walk = new RevWalk(repository);
        TreeWalk tree = new TreeWalk(repository)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(commitId));
      tree.addTree(commit.getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        FileMode mode = tree.getFileMode(0);
        if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
          continue;
        }
        Path file = target.resolve(tree.getPathString()).normalize();
        if (!file.startsWith(target)) {
          continue;
        }
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
          repository.open(tree.getObjectId(0)).copyTo(out);
        }
        if (mode == FileMode.EXECUTABLE_FILE) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
  }
}
