package io.slipway.governance.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class LayerCacheTest {

  private static final Predicate<String> ALL = p -> true;
  private final List<String> loaded = new ArrayList<>();

  @Test
  void aLayerIsReadOnceForTheSameFilterAndAgainForAnother() throws Exception {
    LayerCache cache = new LayerCache(1 << 20);
    Predicate<String> other = p -> false;

    cache.get("sha256:a", ALL, ExecutableProbe.NONE, () -> layer("a", 10));
    cache.get("sha256:a", ALL, ExecutableProbe.NONE, () -> layer("a", 10));
    cache.get("sha256:a", other, ExecutableProbe.NONE, () -> layer("a", 10));

    assertThat(loaded).containsExactly("a", "a");
  }

  @Test
  void theLeastRecentlyUsedLayerGoesWhenTheBudgetIsExceeded() throws Exception {
    long one = layer("x", 1000).weight();
    loaded.clear();
    LayerCache cache = new LayerCache(2 * one + one / 2);
    cache.get("sha256:a", ALL, ExecutableProbe.NONE, () -> layer("a", 1000));
    cache.get("sha256:b", ALL, ExecutableProbe.NONE, () -> layer("b", 1000));
    cache.get("sha256:a", ALL, ExecutableProbe.NONE, () -> layer("a", 1000)); // a is now recent

    cache.get("sha256:c", ALL, ExecutableProbe.NONE, () -> layer("c", 1000));
    cache.get("sha256:a", ALL, ExecutableProbe.NONE, () -> layer("a", 1000));
    cache.get("sha256:b", ALL, ExecutableProbe.NONE, () -> layer("b", 1000));

    assertThat(loaded).containsExactly("a", "b", "c", "b");
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void aLayerHeavierThanTheWholeBudgetIsNotKept() throws Exception {
    LayerCache cache = new LayerCache(100);
    cache.get("sha256:a", ALL, ExecutableProbe.NONE, () -> layer("a", 1000));

    assertThat(cache.size()).isZero();
  }

  private LayerChanges layer(String name, int bytes) {
    loaded.add(name);
    return new LayerChanges(
        List.of(name),
        List.of(),
        List.of(),
        Map.of(name, new byte[bytes]),
        Map.of(),
        List.of(),
        Map.of());
  }
}
