package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.driver.ImageLabels;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppManifest;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessSpec;
import io.slipway.runtime.model.ProcessTypes;
import io.slipway.runtime.rollout.ReleasePlan;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an image's labels declare about how it runs: its Procfile's process types and release
 * command, and its {@code app.json}. Read once per deploy of a new image.
 *
 * @param types the process types besides {@code web} and {@code release}
 * @param release the Procfile's {@code release} command, or null
 * @param manifest the app.json's part the runtime acts on
 * @param function the function runtime the image declares ({@link FunctionImages#LABEL}), or null
 */
record ImageDeclarations(
    SortedMap<String, String> types, String release, AppManifest manifest, String function) {

  private static final Logger log = LoggerFactory.getLogger(ImageDeclarations.class);

  static final ImageDeclarations NONE =
      new ImageDeclarations(Collections.emptySortedMap(), null, AppManifest.NONE, null);

  /**
   * Reads the labels of the image {@code spec} runs. A driver that cannot read images, or an image
   * that cannot be read, declares nothing; a label that is not valid (the image's author may have
   * written it) is refused: 422 {@code invalid-process-types} or {@code invalid-app-json}, and a
   * {@code Refused} event.
   */
  static ImageDeclarations read(RuntimeDriver driver, AppSpec spec, EventLog events) {
    if (!(driver instanceof ImageLabels images)) {
      return NONE;
    }
    Map<String, String> labels;
    try {
      labels = images.labels(spec.imageReference());
    } catch (RuntimeException e) {
      log.warn("Reading the labels of {} failed: {}", spec.imageReference(), e.toString());
      return NONE;
    }
    SortedMap<String, String> types;
    String release;
    try {
      types = ProcessTypes.fromLabels(labels);
      release = ProcessTypes.release(labels);
    } catch (IllegalArgumentException e) {
      events.warning(spec.ref(), "Refused", e.getMessage(), null);
      throw Problem.invalid("invalid-process-types", e.getMessage());
    }
    try {
      return new ImageDeclarations(
          types,
          release,
          AppManifest.fromLabels(labels),
          FunctionImages.runtime(labels).orElse(null));
    } catch (IllegalArgumentException e) {
      events.warning(spec.ref(), "Refused", e.getMessage(), null);
      throw Problem.invalid("invalid-app-json", e.getMessage());
    }
  }

  /** The one-off commands and check the deploy runs. */
  ReleasePlan plan() {
    return ReleasePlan.of(release, manifest);
  }

  /**
   * The app.json's {@code formation} applied to an app's first deploy: the counts of the types it
   * names (types the image does not declare are ignored), and web's when the deploy named no
   * replica count ({@code webUnset}). The quota is checked on the result as on any deploy.
   */
  AppSpec firstFormation(AppSpec spec, boolean webUnset) {
    AppSpec formed = spec;
    Map<String, ProcessSpec> processes = new TreeMap<>(spec.processes());
    manifest
        .formation()
        .forEach(
            (type, count) -> {
              if (processes.containsKey(type)) {
                processes.put(type, processes.get(type).withCount(count));
              }
            });
    formed = formed.withProcesses(processes);
    Integer web = manifest.formation().get(ProcessTypes.WEB);
    return web != null && webUnset ? formed.withReplicas(web) : formed;
  }
}
