package io.slipway.testing.arch;

import java.util.Arrays;
import java.util.List;

/**
 * The services of Slipway, by the root package of their classes and the directories of data they
 * own on disk. Everything else a service keeps lives in its own PostgreSQL schema.
 */
public enum SlipwayService {
  TENANT("tenant-service", "io.slipway.tenant", List.of()),
  BUILD("build-service", "io.slipway.build", List.of("build-data")),
  RUNTIME("runtime-bridge", "io.slipway.runtime", List.of()),
  PORTAL("portal", "io.slipway.portal", List.of());

  private final String module;
  private final String rootPackage;
  private final List<String> dataDirs;

  SlipwayService(String module, String rootPackage, List<String> dataDirs) {
    this.module = module;
    this.rootPackage = rootPackage;
    this.dataDirs = dataDirs;
  }

  /** The Maven module. */
  public String module() {
    return module;
  }

  /** The package every class of the service lives under. */
  public String rootPackage() {
    return rootPackage;
  }

  /** The default names of the directories the service owns (relative to its working directory). */
  public List<String> dataDirs() {
    return dataDirs;
  }

  /** The root packages of every other service, as ArchUnit package patterns. */
  String[] otherPackages() {
    return Arrays.stream(values())
        .filter(s -> s != this)
        .map(s -> s.rootPackage + "..")
        .toArray(String[]::new);
  }

  /** The data directories of every other service. */
  List<String> othersDataDirs() {
    return Arrays.stream(values())
        .filter(s -> s != this)
        .flatMap(s -> s.dataDirs.stream())
        .toList();
  }
}
