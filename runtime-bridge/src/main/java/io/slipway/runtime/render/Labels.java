package io.slipway.runtime.render;

import io.slipway.runtime.model.AppRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labels that mark what Slipway owns, shared by both drivers so a reconcile finds orphans. The
 * ids say whose an object is (and select it); the names are there for humans.
 */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String SLIPWAY = "slipway";
  public static final String TENANT_ID = "slipway.io/tenant-id";
  public static final String PROJECT_ID = "slipway.io/project-id";
  public static final String APP_ID = "slipway.io/app-id";
  public static final String TENANT = "slipway.io/tenant";
  public static final String PROJECT = "slipway.io/project";
  public static final String APP = "slipway.io/app";
  public static final String HOST = "slipway.io/host";
  public static final String REVISION = "slipway.io/revision";
  public static final String INSTANCE = "slipway.io/instance";
  public static final String PORT = "slipway.io/port";

  /**
   * What kind of workload an object belongs to when it is not an app's instance: {@code vm} for a
   * VM's, which the apps' reconciler never takes for an orphaned app's.
   */
  public static final String KIND = "slipway.io/kind";

  public static final String KIND_VM = "vm";

  /** The process type of an instance other than {@code web} (absent on web instances). */
  public static final String PROCESS = "slipway.io/process";

  /** The id of a one-off run ({@code POST .../runs}); absent on every other container. */
  public static final String RUN = "slipway.io/run";

  /**
   * When a one-off run's container is overdue (epoch seconds): past it, nobody waits for it any
   * more (its bridge stopped mid-run) and the driver removes it.
   */
  public static final String RUN_DEADLINE = "slipway.io/run-deadline";

  private Labels() {}

  /** Labels of everything belonging to a project (its namespace, its network). */
  public static Map<String, String> project(AppRef ref) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, SLIPWAY);
    labels.put(TENANT_ID, ref.tenantId());
    labels.put(PROJECT_ID, ref.projectId());
    labels.put(TENANT, ref.tenant());
    labels.put(PROJECT, ref.project());
    return labels;
  }

  /** Labels of everything belonging to an app. */
  public static Map<String, String> app(AppRef ref) {
    Map<String, String> labels = project(ref);
    labels.put(APP_ID, ref.appId());
    labels.put(APP, ref.app());
    labels.put(HOST, ref.hostLabel());
    return labels;
  }

  /** What selects an app's pods: the app's id alone, so that any revision serves. */
  public static Map<String, String> selector(AppRef ref) {
    return Map.of(APP_ID, ref.appId());
  }

  /**
   * The app an object labelled by {@link #app} belongs to; empty when its labels name no whole
   * identity (an object made before apps had ids, or not by Slipway), which is then left alone.
   */
  public static Optional<AppRef> owner(Map<String, String> labels) {
    try {
      return Optional.of(
          new AppRef(
              labels.get(TENANT),
              labels.get(PROJECT),
              labels.get(APP),
              labels.get(TENANT_ID),
              labels.get(PROJECT_ID),
              labels.get(APP_ID),
              labels.get(HOST)));
    } catch (NullPointerException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
