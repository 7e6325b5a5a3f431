package io.slipway.build.usage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The bytes a directory tree holds as {@code du -sb} counts them: the apparent size of every file,
 * directory and link in it (links not followed). Entries removed while it walks (a gc, a deletion)
 * count 0; a directory that does not exist holds nothing.
 */
public final class DiskUsage {

  private DiskUsage() {}

  /**
   * The bytes of the repositories under a tenant's directory ({@code <project id>/<app id>.git}):
   * the project directories around them hold nothing, and a tenant whose apps are gone has 0.
   */
  static long repositories(Path tenantDir) throws IOException {
    if (!Files.isDirectory(tenantDir)) {
      return 0;
    }
    long total = 0;
    try (DirectoryStream<Path> projects = Files.newDirectoryStream(tenantDir)) {
      for (Path project : projects) {
        if (Files.isDirectory(project, LinkOption.NOFOLLOW_LINKS)) {
          total += projectRepositories(project);
        }
      }
    }
    return total;
  }

  /** The bytes of the repositories of one project's directory ({@code <app id>.git}); 0: none. */
  public static long projectRepositories(Path projectDir) throws IOException {
    long total = 0;
    try (DirectoryStream<Path> repositories = Files.newDirectoryStream(projectDir, "*.git")) {
      for (Path repository : repositories) {
        total += bytes(repository);
      }
    } catch (NoSuchFileException e) {
      // its project deleted meanwhile
    }
    return total;
  }

  /** The bytes of the tree at {@code dir}, 0 when there is none. */
  public static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    long[] total = {0};
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attributes) {
            total[0] += attributes.size();
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            total[0] += attributes.size();
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    return total[0];
  }
}
