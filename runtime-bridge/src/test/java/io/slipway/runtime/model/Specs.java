package io.slipway.runtime.model;

import java.util.Map;
import java.util.TreeMap;

/** App specs for tests. */
public final class Specs {

  private Specs() {}

  public static AppSpec web(AppRef ref, int revision, String image, int replicas) {
    return new AppSpec(
        ref,
        revision,
        image,
        null,
        replicas,
        8080,
        new TreeMap<>(Map.of("GREETING", "hello")),
        250,
        64,
        "/",
        AppSpec.DEFAULT_USER,
        true);
  }

  public static AppSpec web() {
    return web(new AppRef("acme", "shop", "web"), 1, "registry.local/acme/web:1", 2);
  }
}
