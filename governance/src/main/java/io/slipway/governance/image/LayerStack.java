package io.slipway.governance.image;

import java.io.IOException;
import java.io.InputStream;
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
    apply(LayerChanges.read(layerTar, keep, maxFileBytes, probe));
  }

  /** Applies the next layer, read before, on top of the ones applied so far. */
  void apply(LayerChanges layer) {
    // Whiteouts and opaque markers only hide what lower layers had, never this layer's own entries.
    layer.deletions().forEach(this::removeTree);
    layer.opaqueDirs().forEach(dir -> removeTree(dir, false));
    layer.replaced().forEach(this::removeTree);
    // Whatever this layer has at a path (a directory too) hides a lower file there, and every
    // ancestor of an entry is a directory now, so a lower file at an ancestor's path is gone.
    for (String path : layer.present()) {
      files.remove(path);
      probed.remove(path);
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        files.remove(path.substring(0, slash));
        probed.remove(path.substring(0, slash));
      }
    }
    Map<String, byte[]> added = layer.added();
    Map<String, byte[]> addedProbes = layer.addedProbes();
    added.keySet().forEach(this::removeTree);
    files.putAll(added);
    probed.putAll(addedProbes);
    layer
        .hardlinks()
        .forEach(
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
}
