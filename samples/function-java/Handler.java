// A Slipway function: the platform calls handle once per request (or schedule) with the event, and
// answers with what it returns. See docs/functions.md.
import java.util.Map;

public class Handler implements io.slipway.function.Handler {

  @Override
  public Object handle(Map<String, Object> event) {
    Object query = event.get("query");
    Object asked = query instanceof Map<?, ?> q ? q.get("name") : null;
    String name = asked instanceof String s && !s.isEmpty() ? s : "world";
    System.out.println("greeting " + name);
    if ("/page".equals(event.get("path"))) {
      // a Map with a statusCode is a web response of its own
      return Map.of(
          "statusCode", 200,
          "headers", Map.of("content-type", "text/html; charset=utf-8"),
          "body", "<h1>Hello, " + name.replaceAll("[<>&\"']", "") + "</h1>\n");
    }
    return Map.of("greeting", "Hello, " + name + ", from function-java on Slipway");
  }
}
