package io.slipway.runtime.deploy;

import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessTypes;
import io.slipway.runtime.render.RenderSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The deployments view of an app: its URL, live revision, whether it is stopped, its process types
 * as they run, revisions.
 */
@Component
class AppStatus {

  private static final Logger log = LoggerFactory.getLogger(AppStatus.class);

  private final DeploymentStore store;
  private final RuntimeDriver driver;
  private final RenderSettings settings;
  private final String portSuffix;

  AppStatus(
      DeploymentStore store,
      RenderSettings settings,
      RuntimeProperties properties,
      RuntimeDriver driver) {
    this.store = store;
    this.driver = driver;
    this.settings = settings;
    // Apps are reached through Caddy's listener: its port is part of their URL unless it is 80.
    String listen = properties.caddy().listen();
    String port = listen.substring(listen.lastIndexOf(':') + 1);
    this.portSuffix = port.equals("80") ? "" : ":" + port;
  }

  Views.AppStatusView of(AppRef ref) {
    Optional<RevisionRecord> live = store.live(ref);
    return new Views.AppStatusView(
        ref.tenant(),
        ref.project(),
        ref.app(),
        url(ref),
        live.map(r -> r.spec().revision()).orElse(null),
        store.stopped(ref),
        live.map(r -> processes(r.spec())).orElse(List.of()),
        store.revisions(ref, 20).stream().map(Views.RevisionView::of).toList());
  }

  /** Where the app answers through the router: its own host on Caddy's listener. */
  String url(AppRef ref) {
    return "http://" + settings.host(ref) + portSuffix;
  }

  /** The live revision's process types, with what the runtime runs of each. */
  private List<Views.ProcessView> processes(AppSpec spec) {
    RevisionState state = observed(spec);
    List<Views.ProcessView> views = new ArrayList<>();
    views.add(
        new Views.ProcessView(
            ProcessTypes.WEB, null, spec.replicas(), running(state, RevisionState::instances)));
    spec.processes()
        .forEach(
            (type, process) ->
                views.add(
                    new Views.ProcessView(
                        type,
                        process.command(),
                        process.count(),
                        running(state, s -> s.processes().getOrDefault(type, List.of())))));
    return views;
  }

  /** What runs of the revision; null when the runtime could not be asked. */
  private RevisionState observed(AppSpec spec) {
    try {
      return driver
          .observe(spec.ref(), spec.revision())
          .orElse(new RevisionState(spec.revision(), 0, List.of()));
    } catch (RuntimeException e) {
      log.warn("Observing {} failed: {}", spec.ref(), e.toString());
      return null;
    }
  }

  private static Integer running(
      RevisionState state, Function<RevisionState, List<Instance>> instances) {
    return state == null
        ? null
        : (int) instances.apply(state).stream().filter(Instance::running).count();
  }
}
