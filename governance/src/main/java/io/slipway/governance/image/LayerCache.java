package io.slipway.governance.image;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The layers read lately, by digest and by what was kept of them, least recently used dropped first
 * once they weigh more than a budget. A layer is immutable content named by its digest, so a cached
 * read is exactly what reading it again would give.
 */
final class LayerCache {

  /** A cache that holds nothing. */
  static final LayerCache NONE = new LayerCache(0);

  /** What a layer is read with: the same digest read with another filter is another entry. */
  private record Key(String digest, Predicate<String> keep, ExecutableProbe probe) {}

  /** How a layer is read when it is not in the cache. */
  interface Loader {
    LayerChanges load() throws IOException;
  }

  private final long budgetBytes;
  private final LinkedHashMap<Key, LayerChanges> layers = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;

  LayerCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  LayerChanges get(String digest, Predicate<String> keep, ExecutableProbe probe, Loader loader)
      throws IOException {
    Key key = new Key(digest, keep, probe);
    synchronized (this) {
      LayerChanges cached = layers.get(key);
      if (cached != null) {
        return cached;
      }
    }
    // read outside the lock: two threads missing the same layer both read it, neither waits
    LayerChanges read = loader.load();
    put(key, read);
    return read;
  }

  private synchronized void put(Key key, LayerChanges layer) {
    long size = layer.weight();
    if (size > budgetBytes) {
      return;
    }
    LayerChanges previous = layers.put(key, layer);
    weight += size - (previous == null ? 0 : previous.weight());
    Iterator<Map.Entry<Key, LayerChanges>> eldest = layers.entrySet().iterator();
    while (weight > budgetBytes && eldest.hasNext()) {
      weight -= eldest.next().getValue().weight();
      eldest.remove();
    }
  }

  /** How many layers are held (for tests). */
  synchronized int size() {
    return layers.size();
  }
}
