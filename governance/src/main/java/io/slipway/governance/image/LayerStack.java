package io.slipway.governance.image;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies layer tars in order to build the merged filesystem, as the OCI image spec's "applying
 * changesets" describes: {@code .wh.<name>} deletes {@code <name>} (and everything under it) from
 * lower layers, {@code <dir>/.wh..wh..opq} hides every lower entry inside {@code <dir>}, and an
 * entry replaces whatever a lower layer had at its path. Each layer comes read ({@link
 * LayerChanges}): what was kept of it was decided then.
 */
final class LayerStack {

  private final TreeMap<String, byte[]> files = new TreeMap<>();
  private final TreeMap<String, byte[]> probed = new TreeMap<>();

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
