package io.slipway.cli.api;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** build-service: an app's builds, their logs and cancelling them. */
public final class BuildApi {

  public record Stage(String name, String startedAt, Long millis) {}

  public record Build(
      String id,
      int number,
      String status,
      String commitId,
      String ref,
      String pushedBy,
      String reason,
      String image,
      String digest,
      String createdAt,
      String finishedAt) {}

  private static final String BUILDS = "/api/v1/tenants/{}/projects/{}/apps/{}/builds";

  private final Http http;

  public BuildApi(Http http) {
    this.http = http;
  }

  /** The git URL of an app's hosted repository. */
  public String gitUrl(AppRef app) {
    return http.baseUrl()
        + Uris.path("/git/{}/{}/{}", app.tenant(), app.project(), app.app())
        + ".git";
  }

  /** The newest builds first. */
  public List<Build> builds(AppRef app, int size) {
    Object page =
        http.get(
            Uris.path(BUILDS, app.tenant(), app.project(), app.app())
                + Uris.query(Map.of("size", size)));
    return Json.readList(Json.object(page).get("items"), Build.class);
  }

  public Build build(AppRef app, int number) {
    return Json.read(
        http.get(Uris.path(BUILDS + "/{}", app.tenant(), app.project(), app.app(), number)),
        Build.class);
  }

  public Build cancel(AppRef app, int number) {
    return Json.read(
        http.post(
            Uris.path(BUILDS + "/{}/cancel", app.tenant(), app.project(), app.app(), number), null),
        Build.class);
  }

  /**
   * Follows a build's log: each line to {@code lines} until the build ends; returns its final
   * status (or null when the stream ended without one).
   */
  public String followLog(AppRef app, int number, java.util.function.Consumer<String> lines) {
    String[] status = {null};
    BiConsumer<String, String> events =
        (name, data) -> {
          if (name.equals("end")) {
            status[0] = data;
          } else {
            lines.accept(data);
          }
        };
    http.events(
        Uris.path(BUILDS + "/{}/logs", app.tenant(), app.project(), app.app(), number), events);
    return status[0];
  }
}
