package io.slipway.governance.image;

import io.slipway.governance.image.TarReader.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What one layer does to the filesystem below it, read from its tar once: the paths it has, what
 * its whiteouts delete, the files it holds that a caller wants kept (and what a probe found in its
 * executables). It depends only on the layer's bytes and on what is kept, so a layer shared by many
 * images (a stack's base) is read once and applied from memory after that.
 *
 * @param present every path in the layer, in tar order
 * @param deletions paths its {@code .wh.<name>} entries delete, with everything under them
 * @param opaqueDirs directories whose lower content it hides ({@code .wh..wh..opq})
 * @param added kept regular files, by path
 * @param addedProbes what the probe extracted from executables, by path
 * @param replaced non-directory entries that are neither kept nor hard links
 * @param hardlinks kept hard links, path to target
 */
record LayerChanges(
    List<String> present,
    List<String> deletions,
    List<String> opaqueDirs,
    Map<String, byte[]> added,
    Map<String, byte[]> addedProbes,
    List<String> replaced,
    Map<String, String> hardlinks) {

  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  /**
   * Reads an uncompressed layer tar.
   *
   * @param keep which regular files to hold in memory (by normalised path)
   * @param maxFileBytes files larger than this are left out even if {@code keep} wants them
   * @param probe what to extract from executables {@code keep} does not select
   */
  static LayerChanges read(
      InputStream layerTar, Predicate<String> keep, long maxFileBytes, ExecutableProbe probe)
      throws IOException {
    TarReader tar = new TarReader(layerTar);
    List<String> present = new ArrayList<>();
    List<String> deletions = new ArrayList<>();
    List<String> opaqueDirs = new ArrayList<>();
    Map<String, byte[]> added = new HashMap<>();
    Map<String, byte[]> addedProbes = new HashMap<>();
    List<String> replaced = new ArrayList<>();
    Map<String, String> hardlinks = new HashMap<>();
    for (Entry entry = tar.next(); entry != null; entry = tar.next()) {
      String path = entry.path();
      present.add(path);
      String name = path.substring(path.lastIndexOf('/') + 1);
      String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
      if (name.equals(OPAQUE)) {
        opaqueDirs.add(dir);
      } else if (name.startsWith(WHITEOUT)) {
        deletions.add(
            dir.isEmpty()
                ? name.substring(WHITEOUT.length())
                : dir + "/" + name.substring(WHITEOUT.length()));
      } else if (entry.type() == TarReader.Type.FILE
          && keep.test(path)
          && entry.size() <= maxFileBytes) {
        added.put(path, tar.content());
      } else if (entry.type() == TarReader.Type.FILE
          && entry.isExecutable()
          && probe != ExecutableProbe.NONE) {
        replaced.add(path);
        byte[] extract = probe.probe(tar.contentStream());
        if (extract != null) {
          addedProbes.put(path, extract);
        }
      } else if (entry.type() == TarReader.Type.HARDLINK && keep.test(path)) {
        hardlinks.put(path, entry.linkTarget());
      } else if (entry.type() != TarReader.Type.DIRECTORY) {
        replaced.add(path);
      }
    }
    return new LayerChanges(
        List.copyOf(present),
        List.copyOf(deletions),
        List.copyOf(opaqueDirs),
        Map.copyOf(added),
        Map.copyOf(addedProbes),
        List.copyOf(replaced),
        Map.copyOf(hardlinks));
  }

  /** Roughly how many bytes of memory this holds: what a cache of layers weighs them by. */
  long weight() {
    long weight = 0;
    for (List<String> paths : List.of(present, deletions, opaqueDirs, replaced)) {
      for (String path : paths) {
        weight += 48 + path.length();
      }
    }
    for (Map<String, byte[]> files : List.of(added, addedProbes)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        weight += 64 + file.getKey().length() + file.getValue().length;
      }
    }
    for (Map.Entry<String, String> link : hardlinks.entrySet()) {
      weight += 64 + link.getKey().length() + link.getValue().length();
    }
    return weight;
  }
}
