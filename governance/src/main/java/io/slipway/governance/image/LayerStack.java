package io.slipway.governance.image;

import io.slipway.governance.image.TarReader.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Applies layer tars in order to build the merged filesystem, as the OCI image spec's "applying
 * changesets" describes: {@code .wh.<name>} deletes {@code <name>} (and everything under it) from
 * lower layers, {@code <dir>/.wh..wh..opq} hides every lower entry inside {@code <dir>}, and an
 * entry replaces whatever a lower layer had at its path.
 */
final class LayerStack {

  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final Predicate<String> keep;
  private final long maxFileBytes;
  private final ExecutableProbe probe;
  private final TreeMap<String, byte[]> files = new TreeMap<>();
  private final TreeMap<String, byte[]> probed = new TreeMap<>();

  /**
   * @param keep which regular files to hold in memory (by normalised path)
   * @param maxFileBytes files larger than this are left out even if {@code keep} wants them
   */
  LayerStack(Predicate<String> keep, long maxFileBytes) {
    this(keep, maxFileBytes, ExecutableProbe.NONE);
  }

  /**
   * @param probe what to extract from executables {@code keep} does not select
   */
  LayerStack(Predicate<String> keep, long maxFileBytes, ExecutableProbe probe) {
    this.keep = keep;
    this.maxFileBytes = maxFileBytes;
    this.probe = probe;
  }

  /** Applies the next layer (an uncompressed tar stream) on top of the ones applied so far. */
  void apply(InputStream layerTar) throws IOException {
    TarReader tar = new TarReader(layerTar);
    List<String> deletions = new ArrayList<>();
    List<String> opaqueDirs = new ArrayList<>();
    Map<String, byte[]> added = new HashMap<>();
    Map<String, byte[]> addedProbes = new HashMap<>();
    List<String> replaced = new ArrayList<>();
    Map<String, String> hardlinks = new HashMap<>();
    List<String> present = new ArrayList<>();
    for (Entry entry = tar.next(); entry != null; entry = tar.next()) {
      String path = entry.path();
      present.add(path);
      String name = path.substring(path.lastIndexOf('/') + 1);
      String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
      if (name.equals(OPAQUE)) {
        opaqueDirs.add(dir);
      } else if (name.startsWith(WHITEOUT)) {
        deletions.add(child(dir, name.substring(WHITEOUT.length())));
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
    // Whiteouts and opaque markers only hide what lower layers had, never this layer's own entries.
    deletions.forEach(this::removeTree);
    opaqueDirs.forEach(dir -> removeTree(dir, false));
    replaced.forEach(this::removeTree);
    // Whatever this layer has at a path (a directory too) hides a lower file there, and every
    // ancestor of an entry is a directory now, so a lower file at an ancestor's path is gone.
    for (String path : present) {
      files.remove(path);
      probed.remove(path);
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        files.remove(path.substring(0, slash));
        probed.remove(path.substring(0, slash));
      }
    }
    added.keySet().forEach(this::removeTree);
    files.putAll(added);
    probed.putAll(addedProbes);
    hardlinks.forEach(
        (path, target) -> {
          byte[] content = added.containsKey(target) ? added.get(target) : files.get(target);
          removeTree(path);
          byte[] extract =
              addedProbes.containsKey(target) ? addedProbes.get(target) : probed.get(target);
          if (extract != null) {
            probed.put(path, extract);
          }
          if (content != null) {
            files.put(path, content);
          }
        });
  }

  /** The merged result. */
  TreeMap<String, byte[]> files() {
    return files;
  }

  /** What the probe kept of executables, by path, with the same whiteouts applied. */
  TreeMap<String, byte[]> probed() {
    return probed;
  }

  private void removeTree(String path) {
    removeTree(path, true);
  }

  private void removeTree(String path, boolean includingItself) {
    for (TreeMap<String, byte[]> map : List.of(files, probed)) {
      if (includingItself) {
        map.remove(path);
      }
      String prefix = path.isEmpty() ? "" : path + "/";
      map.subMap(prefix, prefix + Character.MAX_VALUE).clear();
    }
  }

  private static String child(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
