package io.slipway.runtime.deploy;

import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.RenderSettings;
import org.springframework.stereotype.Component;

/** The deployments view of an app: its URL, live revision, whether it is stopped, revisions. */
@Component
class AppStatus {

  private final DeploymentStore store;
  private final RenderSettings settings;
  private final String portSuffix;

  AppStatus(DeploymentStore store, RenderSettings settings, RuntimeProperties properties) {
    this.store = store;
    this.settings = settings;
    // Apps are reached through Caddy's listener: its port is part of their URL unless it is 80.
    String listen = properties.caddy().listen();
    String port = listen.substring(listen.lastIndexOf(':') + 1);
    this.portSuffix = port.equals("80") ? "" : ":" + port;
  }

  Views.AppStatusView of(AppRef ref) {
    return new Views.AppStatusView(
        ref.tenant(),
        ref.project(),
        ref.app(),
        "http://" + settings.host(ref) + portSuffix,
        store.live(ref).map(r -> r.spec().revision()).orElse(null),
        store.stopped(ref),
        store.revisions(ref, 20).stream().map(Views.RevisionView::of).toList());
  }
}
