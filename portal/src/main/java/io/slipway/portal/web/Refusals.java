package io.slipway.portal.web;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where a service's refusal becomes a {@link ServiceProblem}: its RFC 9457 problem
 * read for the user (detail, type, reasons), or a plain sentence when it sent none or could not be
 * reached. The shared clients throw Spring's {@code HttpClientErrorException} and {@code
 * HttpServerErrorException}; controllers only ever see {@link ServiceProblem}.
 */
final class Refusals {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Refusals() {}

  /** The problem {@code service} answered with {@code status} and {@code body}. */
  static ServiceProblem problem(String service, int status, String body) {
    String detail = service + " answered " + status;
    String type = "";
    List<String> reasons = List.of();
    if (body != null && body.strip().startsWith("{")) {
      try {
        JsonNode problem = JSON.readTree(body);
        detail = problem.path("detail").asString(detail);
        type = problem.path("type").asString("").replaceAll(".*/", "");
        reasons =
            problem
                .path("reasons")
                .valueStream()
                .map(r -> r.asString(""))
                .filter(r -> !r.isBlank())
                .toList();
      } catch (JacksonException unreadable) {
        // not a problem document after all: the status says enough
      }
    }
    return new ServiceProblem(status, type, detail, reasons);
  }

  /** The service could not be reached (refused connection, timeout). */
  static ServiceProblem unreachable(String service) {
    return new ServiceProblem(503, service + " cannot be reached right now; try again shortly");
  }

  /**
   * {@code client} (a shared declarative client of {@code service}) as the portal calls it: every
   * call that fails throws a {@link ServiceProblem}.
   */
  static <T> T translating(Class<T> api, T client, String service) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(client, args);
          }
          try {
            return method.invoke(client, args);
          } catch (InvocationTargetException e) {
            throw translate(e.getCause(), service);
          }
        };
    return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
  }

  private static Throwable translate(Throwable failure, String service) {
    return switch (failure) {
      case RestClientResponseException refused ->
          problem(service, refused.getStatusCode().value(), refused.getResponseBodyAsString());
      case ResourceAccessException down -> unreachable(service);
      default -> failure;
    };
  }
}
