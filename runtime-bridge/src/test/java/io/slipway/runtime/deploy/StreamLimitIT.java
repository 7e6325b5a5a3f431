package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.kit.validation.Limits;
import io.slipway.kit.web.OpenStreams;
import io.slipway.runtime.podman.TestImages;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One user holds at most {@link Limits#OPEN_STREAMS_PER_CALLER} followed log streams at once: one
 * more is a 429 that says when to retry; a stream that ended gives its place back, and so does one
 * whose client went away without a word, found out by the heartbeat although the app writes
 * nothing; and at the limit another tenant's app is still a 404, never a hint.
 */
class StreamLimitIT extends ApiFixture {

  @Test
  void aUserHoldsAtMostTheLimitOfStreamsAndGetsAPlaceBackWhenOneEnds() throws Exception {
    String alice = aliceWithApp();
    List<HttpResponse<Stream<String>>> followed = new ArrayList<>();
    try {
      bridge(alice, "POST", app, deployment(TestImages.httpd("streams", "quiet\n"), 1, null), 201);

      // streams that end (no follow) give their places back as they end
      for (int i = 0; i < Limits.OPEN_STREAMS_PER_CALLER + 2; i++) {
        assertThat(logs(alice, appPath, false).statusCode()).isEqualTo(200);
      }

      for (int i = 0; i < Limits.OPEN_STREAMS_PER_CALLER; i++) {
        HttpResponse<Stream<String>> stream = logs(alice, appPath, true);
        assertThat(stream.statusCode()).isEqualTo(200);
        followed.add(stream);
      }
      HttpResponse<Stream<String>> refused = logs(alice, appPath, true);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).contains("10");
      JsonNode problem = JSON.readTree(String.join("\n", refused.body().toList()));
      assertThat(problem.path("type").asString())
          .isEqualTo("https://slipway.io/problems/too-many-streams");
      assertThat(problem.path("limit").asInt()).isEqualTo(Limits.OPEN_STREAMS_PER_CALLER);
      assertThat(problem.path("detail").asString()).contains("close one");

      // at the limit, an app of a tenant alice is not in is what it always is: not found
      String foreign = "/api/v1/tenants/rt-" + suffix + "x/projects/web/apps/site";
      assertThat(logs(alice, foreign, true).statusCode()).isEqualTo(404);

      // a client that leaves without a word: the app is quiet, the heartbeat finds out
      followed.removeFirst().body().close();
      await()
          .atMost(OpenStreams.HEARTBEAT.multipliedBy(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                HttpResponse<Stream<String>> again = logs(alice, appPath, true);
                if (again.statusCode() == 200) {
                  followed.add(again);
                  return true;
                }
                again.body().close();
                return false;
              });
      assertThat(followed).hasSize(Limits.OPEN_STREAMS_PER_CALLER);
    } finally {
      followed.forEach(stream -> stream.body().close());
      forgetTenant();
    }
  }

  /** The app's logs at {@code path}, answered once the headers arrive; the body read lazily. */
  private HttpResponse<Stream<String>> logs(String token, String path, boolean follow)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path + "/logs?tail=5&follow=" + follow))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }
}
