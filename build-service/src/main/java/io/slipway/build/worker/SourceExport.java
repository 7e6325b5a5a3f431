package io.slipway.build.worker;

import io.slipway.build.git.CommitFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the files of one commit of a bare repository into a build context directory: what {@link
 * CommitFiles} yields (regular files and executables only), so a repository cannot make the build
 * read anything outside its own context.
 */
final class SourceExport {

  private SourceExport() {}

  /** Exports {@code commitId} of the bare repository {@code gitDir} into {@code target}. */
  static void export(Path gitDir, String commitId, Path target) throws IOException {
    CommitFiles.walk(
        gitDir,
        commitId,
        (path, executable, content) -> {
          Path file = target.resolve(path).normalize();
          if (!file.startsWith(target)) {
            return;
          }
          Files.createDirectories(file.getParent());
          try (OutputStream out = Files.newOutputStream(file)) {
            content.copyTo(out);
          }
          if (executable) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        });
  }
}
