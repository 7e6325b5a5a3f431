package io.slipway.kit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.slipway.kit.problem.BodyTooLarge;
import jakarta.servlet.ServletRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BodySizeLimitTest {

  private final BodySizeLimit limit = new BodySizeLimit(DataSize.ofBytes(10), List.of("/git/"));
  private final MockHttpServletResponse response = new MockHttpServletResponse();

  @Test
  void aDeclaredLengthOverTheLimitIs413BeforeAnythingIsRead() throws Exception {
    MockHttpServletRequest request = request("/api/v1/x", new byte[11]);
    AtomicReference<ServletRequest> passed = new AtomicReference<>();

    limit.doFilter(request, response, (req, res) -> passed.set(req));

    assertThat(passed.get()).isNull();
    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    JsonNode problem = JsonMapper.shared().readTree(response.getContentAsString());
    assertThat(problem.path("type").asString())
        .isEqualTo("https://slipway.io/problems/body-too-large");
    assertThat(problem.path("detail").asString()).isEqualTo(BodyTooLarge.detail(10));
  }

  @Test
  void aBodyWithoutALengthFailsAsSoonAsItPassesTheLimit() throws Exception {
    // MockHttpServletRequest derives a length from the content: a chunked body declares none
    MockHttpServletRequest chunked =
        new MockHttpServletRequest("POST", "/api/v1/x") {
          @Override
          public long getContentLengthLong() {
            return -1;
          }
        };
    chunked.setContent(new byte[11]);
    AtomicReference<Throwable> thrown = new AtomicReference<>();

    limit.doFilter(
        chunked,
        response,
        (req, res) -> thrown.set(catchThrowable(() -> req.getInputStream().readAllBytes())));

    assertThat(thrown.get()).isInstanceOf(BodyTooLarge.class);
  }

  @Test
  void aBodyWithinTheLimitAndAnExemptPathPass() throws Exception {
    AtomicReference<byte[]> read = new AtomicReference<>();
    limit.doFilter(
        request("/api/v1/x", new byte[10]),
        response,
        (req, res) -> read.set(req.getInputStream().readAllBytes()));
    assertThat(read.get()).hasSize(10);

    limit.doFilter(
        request("/git/t/p/a.git/git-receive-pack", new byte[100]),
        new MockHttpServletResponse(),
        (req, res) -> read.set(req.getInputStream().readAllBytes()));
    assertThat(read.get()).hasSize(100);
  }

  private static MockHttpServletRequest request(String path, byte[] body) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
    request.setContent(body);
    return request;
  }
}
