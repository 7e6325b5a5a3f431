package io.slipway.kit.web;

import io.slipway.kit.problem.BodyTooLarge;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every error the servlet container or a filter answers (a rejected URL, Spring Security's
 * firewall, a missing route) leaves as a problem detail too, never as an HTML page or Spring Boot's
 * error JSON: {@code /error} is answered here, and Tomcat's own error report (for URLs it refuses
 * before any servlet runs: {@code %2F}, {@code %00}) is replaced by one that writes a problem. A
 * service imports it ({@code @Import(ProblemErrorPages.class)}); the portal, which shows HTML error
 * pages, does not.
 */
@RestController
@Import(ProblemErrorPages.TomcatErrors.class)
public class ProblemErrorPages implements ErrorController {

  @RequestMapping(path = "/error", produces = MediaType.ALL_VALUE)
  ResponseEntity<String> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i && i >= 400 ? i : 500;
    Throwable cause = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    boolean tooLarge = BodyTooLarge.in(cause) != null;
    int answered = tooLarge ? 413 : status;
    return ResponseEntity.status(answered)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            ProblemResponses.json(
                answered,
                tooLarge ? "body-too-large" : null,
                tooLarge ? cause.getMessage() : ProblemResponses.detailFor(answered)));
  }

  /** Installs {@link ProblemValve} as the host's error report. */
  static class TomcatErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            if (context.getParent() instanceof StandardHost host) {
              host.setErrorReportValveClass(ProblemValve.class.getName());
            }
          });
    }
  }

  /** Tomcat's error report, as a problem detail. */
  public static class ProblemValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      try {
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        Writer writer = response.getReporter();
        if (writer != null) {
          writer.write(ProblemResponses.json(status, null, ProblemResponses.detailFor(status)));
          response.finishResponse();
        }
      } catch (IOException | IllegalStateException e) {
        // the client is gone or the response committed: nothing more to say
      }
    }
  }
}
