package io.slipway.runtime.driver;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a driver observes of one revision.
 *
 * @param revision the revision number
 * @param replicas instances wanted by the runtime's own record (Deployment replicas, containers)
 * @param instances the web instances present, running or not: what is health-checked and routed
 * @param processes the instances of every other process type present, by type, running or not
 *     (never routed; empty for a driver that runs only web)
 */
public record RevisionState(
    int revision, int replicas, List<Instance> instances, Map<String, List<Instance>> processes) {

  public RevisionState {
    instances = List.copyOf(instances);
    SortedMap<String, List<Instance>> byType = new TreeMap<>();
    (processes == null ? Map.<String, List<Instance>>of() : processes)
        .forEach((type, list) -> byType.put(type, List.copyOf(list)));
    processes = Collections.unmodifiableSortedMap(byType);
  }

  /** A revision with web instances only. */
  public RevisionState(int revision, int replicas, List<Instance> instances) {
    this(revision, replicas, instances, Map.of());
  }

  /** Instances that are running. */
  public List<Instance> running() {
    return instances.stream().filter(Instance::running).toList();
  }
}
