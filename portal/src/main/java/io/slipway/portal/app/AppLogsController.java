package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge;
import io.slipway.portal.web.EventStreams;
import io.slipway.portal.web.EventStreams.Event;
import io.slipway.portal.web.ServiceApis;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;

/** An app's own output: followed live on its page, or its last lines as text. */
@Controller
class AppLogsController {

  private static final int TAIL = 100;

  private final ServiceApis apis;
  private final RuntimeBridge runtime;

  AppLogsController(ServiceApis apis) {
    this.apis = apis;
    this.runtime = apis.runtimeStreams();
  }

  /** The last lines and then every new one, as Server-Sent Events ({@code log}). */
  @GetMapping(AppRef.PATH + "/logs")
  void follow(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      HttpServletResponse response)
      throws IOException {
    EventStreams.relay(
        () -> runtime.logs(tenant, project, app, TAIL, true, apis.bearer()), response);
  }

  /** The last lines, as plain text: for pages without script, and when the stream fails. */
  @GetMapping(value = AppRef.PATH + "/logs.txt", produces = MediaType.TEXT_PLAIN_VALUE)
  @ResponseBody
  String tail(@PathVariable String tenant, @PathVariable String project, @PathVariable String app) {
    return EventStreams.read(
            runtime.logs(tenant, project, app, TAIL, false, apis.bearer()),
            "end",
            Duration.ofSeconds(3))
        .stream()
        .filter(e -> e.name().equals("log"))
        .map(Event::data)
        .collect(Collectors.joining("\n"));
  }
}
