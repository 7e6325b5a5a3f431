package io.slipway.kit.security;

import io.slipway.kit.problem.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem from a security filter, where Spring MVC's converters do not run. */
final class ProblemWriter {

  private ProblemWriter() {}

  static void write(HttpServletResponse response, Problem problem) throws IOException {
    response.setStatus(problem.status().value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    JsonMapper.shared().writeValue(response.getOutputStream(), problem.toMap());
  }
}
