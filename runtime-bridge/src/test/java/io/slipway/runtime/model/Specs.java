package io.slipway.runtime.model;

import io.slipway.testing.TestIds;
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
    return web(ref("acme", "shop", "web"), 1, "registry.local/acme/web:1", 2);
  }

  /**
   * An app as tenant-service would describe it: ids derived from the names (the same names give the
   * same ids in every test; different names, different ids) and the host label {@code
   * <app>--<project>--<tenant>}.
   */
  public static AppRef ref(String tenant, String project, String app) {
    return new AppRef(
        tenant,
        project,
        app,
        TestIds.tenant(tenant),
        TestIds.project(tenant, project),
        TestIds.app(tenant, project, app),
        app + "--" + project + "--" + tenant);
  }

  /** A Slipway id of the kind, from a hash of {@code seed}. */
  public static String id(char kind, String seed) {
    return TestIds.id(kind, seed);
  }
}
