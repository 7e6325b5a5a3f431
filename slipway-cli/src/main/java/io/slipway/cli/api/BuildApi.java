package io.slipway.cli.api;

import io.slipway.cli.api.generated.BuildServiceClient;
import io.slipway.cli.api.generated.BuildServiceClient.Build;
import java.util.List;
import java.util.function.Consumer;

/**
 * build-service as the commands use it: an app's builds, their logs and cancelling them. Every call
 * and shape is {@link BuildServiceClient}'s, generated from the service's OpenAPI document.
 */
public final class BuildApi {

  private final Http http;
  private final BuildServiceClient client;

  public BuildApi(Http http) {
    this.http = http;
    this.client = new BuildServiceClient(http);
  }

  /** The git URL of an app's hosted repository (git's smart HTTP, not the REST API). */
  public String gitUrl(AppRef app) {
    return http.baseUrl()
        + Uris.path("/git/{}/{}/{}", app.tenant(), app.project(), app.app())
        + ".git";
  }

  /** The newest builds first. */
  public List<Build> builds(AppRef app, int size) {
    return client.builds(app.tenant(), app.project(), app.app(), null, size).items();
  }

  public Build build(AppRef app, int number) {
    return client.build(app.tenant(), app.project(), app.app(), number);
  }

  public Build cancel(AppRef app, int number) {
    return client.cancel(app.tenant(), app.project(), app.app(), number);
  }

  /**
   * Follows a build's log: each line to {@code lines} until the build ends; returns its final
   * status (or null when the stream ended without one).
   */
  public String followLog(AppRef app, int number, Consumer<String> lines) {
    String[] status = {null};
    client.buildLog(
        app.tenant(),
        app.project(),
        app.app(),
        number,
        (name, data) -> {
          if (name.equals("end")) {
            status[0] = data;
          } else {
            lines.accept(data);
          }
        });
    return status[0];
  }
}
