package io.slipway.runtime.driver;

import java.util.List;

/**
 * What a driver observes of one revision.
 *
 * @param revision the revision number
 * @param replicas instances wanted by the runtime's own record (Deployment replicas, containers)
 * @param instances the instances present, running or not
 */
public record RevisionState(int revision, int replicas, List<Instance> instances) {

  public RevisionState {
    instances = List.copyOf(instances);
  }

  /** Instances that are running. */
  public List<Instance> running() {
    return instances.stream().filter(Instance::running).toList();
  }
}
