package io.slipway.runtime.render;

import io.slipway.runtime.model.AppRef;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels that mark what Slipway owns, shared by both drivers so a reconcile finds orphans. */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String SLIPWAY = "slipway";
  public static final String TENANT = "slipway.io/tenant";
  public static final String PROJECT = "slipway.io/project";
  public static final String APP = "slipway.io/app";
  public static final String REVISION = "slipway.io/revision";
  public static final String INSTANCE = "slipway.io/instance";
  public static final String PORT = "slipway.io/port";

  private Labels() {}

  /** Labels of everything belonging to a project (its namespace, its network). */
  public static Map<String, String> project(AppRef ref) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, SLIPWAY);
    labels.put(TENANT, ref.tenant());
    labels.put(PROJECT, ref.project());
    return labels;
  }

  /** Labels of everything belonging to an app. */
  public static Map<String, String> app(AppRef ref) {
    Map<String, String> labels = project(ref);
    labels.put(APP, ref.app());
    return labels;
  }

  /** What selects an app's pods: the app label alone, so that any revision serves. */
  public static Map<String, String> selector(AppRef ref) {
    return Map.of(APP, ref.app());
  }
}
