package io.slipway.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

class EventStreamsTest {

  private static InputStream of(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsNamedEventsWithMultiLineDataUntilTheNamedEnd() {
    var events =
        EventStreams.read(
            of(
                "event:log\ndata: one\n\n: a comment\nevent: log\ndata:two\ndata:lines\n\n"
                    + "data:unnamed\n\nevent:end\ndata:failed\n\nevent:log\ndata:after\n\n"),
            "end",
            Duration.ofSeconds(5));
    assertThat(events)
        .containsExactly(
            new EventStreams.Event("log", "one"),
            new EventStreams.Event("log", "two\nlines"),
            new EventStreams.Event("message", "unnamed"),
            new EventStreams.Event("end", "failed"));
  }

  @Test
  void anEmptyAnswerIsAnEmptyStreamNotAnError() throws IOException {
    // the service client gives null, not a stream, for a body of no bytes
    assertThat(EventStreams.read(null, "end", Duration.ofSeconds(1))).isEmpty();
    MockHttpServletResponse response = new MockHttpServletResponse();
    EventStreams.relay(() -> null, response);
    assertThat(response.getContentType()).startsWith("text/event-stream");
    assertThat(response.getContentAsString()).isEmpty();
  }

  @Test
  void aStreamThatNeverEndsIsCutAtTheBudgetWithWhatArrived() {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream live =
        new InputStream() {
          private final InputStream first = of("event:log\ndata:started\n\n");

          @Override
          public int read() throws IOException {
            int b = first.read();
            if (b != -1) {
              return b;
            }
            while (!closed.get()) {
              Thread.onSpinWait();
            }
            throw new IOException("closed");
          }

          @Override
          public void close() {
            closed.set(true);
          }
        };
    Instant start = Instant.now();
    var events = EventStreams.read(live, "end", Duration.ofMillis(300));
    assertThat(events).containsExactly(new EventStreams.Event("log", "started"));
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void formatsEveryLineAsItsOwnDataField() {
    assertThat(EventStreams.format("problem", "down\nsince 10:00"))
        .isEqualTo("event: problem\ndata: down\ndata: since 10:00\n\n");
  }
}
