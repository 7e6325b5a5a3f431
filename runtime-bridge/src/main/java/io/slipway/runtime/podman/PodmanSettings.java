package io.slipway.runtime.podman;

import java.time.Duration;
import java.util.Objects;

/**
 * How the podman driver names and limits what it creates.
 *
 * @param namePrefix prefix of every container and network name ({@code slipway-}; tests use their
 *     own so that they never touch anything else)
 * @param pidsLimit the most processes a container may have
 * @param stopTimeout how long a container gets to stop after SIGTERM before it is killed
 */
public record PodmanSettings(String namePrefix, int pidsLimit, Duration stopTimeout) {

  public PodmanSettings {
    Objects.requireNonNull(namePrefix, "namePrefix");
    if (!namePrefix.matches("[a-z0-9][-a-z0-9]*-")) {
      throw new IllegalArgumentException("namePrefix must be lower-case and end with '-'");
    }
    if (pidsLimit < 16) {
      throw new IllegalArgumentException("pidsLimit must be at least 16");
    }
    Objects.requireNonNull(stopTimeout, "stopTimeout");
  }
}
