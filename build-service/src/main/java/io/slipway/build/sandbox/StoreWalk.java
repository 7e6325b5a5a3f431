package io.slipway.build.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of a tenant's build store as the host lists them, while buildah may be writing it:
 * another build of the tenant or the retention pass's buildah replaces {@code images.json} and
 * {@code layers.json} through temporary files, so an entry listed may be gone a moment later. Such
 * an entry is left out, never an error. Links are listed as links, never followed.
 */
final class StoreWalk {

  private StoreWalk() {}

  /**
   * Every entry under {@code root} (with it), down to {@code depth} levels, with its own attributes
   * (a link's, not its target's), in the order found.
   */
  static Map<Path, BasicFileAttributes> entries(Path root, int depth) throws IOException {
    Map<Path, BasicFileAttributes> found = new LinkedHashMap<>();
    Files.walkFileTree(
        root,
        EnumSet.noneOf(FileVisitOption.class),
        depth,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            found.put(dir, attributes);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            found.put(file, attributes);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure)
              throws IOException {
            if (failure instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw failure;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            // a directory removed while it was being listed
            if (failure != null && !(failure instanceof NoSuchFileException)) {
              throw failure;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return found;
  }
}
