package io.slipway.portal.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Server-Sent Events from the services, for the browser. The portal relays a stream byte for byte
 * (the browser never talks to a service, nor holds a token), or reads it into text for pages that
 * show a log without script.
 */
public final class EventStreams {

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          runnable ->
              Thread.ofPlatform().daemon().name("event-stream-deadline").unstarted(runnable));

  private EventStreams() {}

  /** One event: its name ({@code message} when the stream named none) and its data. */
  public record Event(String name, String data) {}

  /**
   * Relays the stream {@code open} returns to the response as it arrives. A service that refuses
   * becomes one {@code problem} event carrying its explanation, so the page can say why.
   */
  public static void relay(Supplier<InputStream> open, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    OutputStream out = response.getOutputStream();
    InputStream in;
    try {
      in = open.get();
    } catch (ServiceProblem problem) {
      out.write(format("problem", problem.getMessage()).getBytes(StandardCharsets.UTF_8));
      out.flush();
      return;
    }
    out.flush();
    if (in == null) {
      return; // an empty answer (the client gives no stream for a body of no bytes)
    }
    try (in) {
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException gone) {
      // the browser left the page, or the service ended the stream: either way we are done
    }
  }

  /**
   * Reads events until the stream ends, an event named {@code until} arrives, or {@code budget}
   * passes (a live stream never ends by itself).
   */
  public static List<Event> read(InputStream in, String until, Duration budget) {
    List<Event> events = new ArrayList<>();
    if (in == null) {
      return events; // an empty answer
    }
    ScheduledFuture<?> deadline =
        DEADLINES.schedule(() -> closeQuietly(in), budget.toMillis(), TimeUnit.MILLISECONDS);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String name = "message";
      StringBuilder data = null;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(name, data.toString()));
            if (name.equals(until)) {
              break;
            }
          }
          name = "message";
          data = null;
        } else if (line.startsWith("event:")) {
          name = field(line, 6);
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(field(line, 5));
        }
      }
    } catch (IOException stopped) {
      // the deadline closed the stream: what arrived so far is the answer
    } finally {
      deadline.cancel(false);
      closeQuietly(in);
    }
    return events;
  }

  /** An event in the wire format, with every line of {@code data} as its own data field. */
  public static String format(String name, String data) {
    StringBuilder event = new StringBuilder("event: ").append(name).append('\n');
    for (String line : data.split("\r?\n", -1)) {
      event.append("data: ").append(line).append('\n');
    }
    return event.append('\n').toString();
  }

  private static String field(String line, int start) {
    String value = line.substring(start);
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
  }
}
