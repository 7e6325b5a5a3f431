package io.slipway.portal.browser;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the {@link SharedPlatform} once the test run's tests are done (registered through {@code
 * META-INF/services}): inside the run, so nothing cuts it short, unlike a JVM shutdown hook in a
 * Failsafe fork. A run that never started the platform has nothing to stop.
 */
public class PlatformStopper implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    SharedPlatform.stop();
  }
}
