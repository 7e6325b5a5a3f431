package io.slipway.build.git;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The files a build of one commit sees: the commit's regular files and executables. Symbolic links
 * and submodules are skipped, and so is any path that is absolute or climbs out of the tree, so a
 * repository cannot make a build read anything outside its own context. The podman executor's
 * checkout and the Kubernetes executor's context archive both read a commit through here, so both
 * build the same content.
 */
public final class CommitFiles {

  /** Receives each file of the commit, in tree order. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * @param path the file's path relative to the tree's root, with {@code /} separators
     * @param executable whether git records it executable
     * @param content its blob
     */
    void file(String path, boolean executable, ObjectLoader content) throws IOException;
  }

  private CommitFiles() {}

  /** Visits the files of {@code commitId} in the bare repository {@code gitDir}. */
  public static void walk(Path gitDir, String commitId, Visitor visitor) throws IOException {
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
        String path = tree.getPathString();
        Path relative = Path.of(path);
        if (relative.isAbsolute() || !relative.normalize().equals(relative)) {
          continue;
        }
        visitor.file(path, mode == FileMode.EXECUTABLE_FILE, repository.open(tree.getObjectId(0)));
      }
    }
  }
}
