package io.slipway.build.governance;

import io.slipway.build.queue.Build;
import io.slipway.governance.ImageGovernance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds governance to the build JSON of the build endpoints: {@code signed} (a trusted platform
 * signature is stored for the image) and {@code vulnerabilities} (finding counts per severity, null
 * while the build has no image). Done as advice on the queue's controller so that the build record
 * and its queries stay governance-free.
 */
@ControllerAdvice(basePackages = "io.slipway.build.queue")
class BuildGovernanceAdvice implements ResponseBodyAdvice<Object> {

  private static final List<String> SEVERITIES =
      List.of("critical", "high", "medium", "low", "none", "unknown");

  private final AttestationStore store;
  private final ImageGovernance governance;
  private final JsonMapper json;

  BuildGovernanceAdvice(AttestationStore store, ImageGovernance governance, JsonMapper json) {
    this.store = store;
    this.governance = governance;
    this.json = json;
  }

  @Override
  public boolean supports(
      MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(
      Object body,
      MethodParameter returnType,
      MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType,
      ServerHttpRequest request,
      ServerHttpResponse response) {
    if (body instanceof Build build) {
      ObjectNode node = json.valueToTree(build);
      decorate(List.of(node), List.of(build.id()));
      return node;
    }
    if (body instanceof Record page
        && MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
        && page.getClass().getSimpleName().equals("BuildPage")) {
      ObjectNode node = json.valueToTree(page);
      List<ObjectNode> items = new ArrayList<>();
      List<UUID> ids = new ArrayList<>();
      for (JsonNode item : node.path("items")) {
        if (item instanceof ObjectNode object && item.hasNonNull("id")) {
          items.add(object);
          ids.add(UUID.fromString(item.get("id").asString()));
        }
      }
      decorate(items, ids);
      return node;
    }
    return body;
  }

  private void decorate(List<ObjectNode> nodes, List<UUID> ids) {
    Map<UUID, AttestationStore.Attestation> attestations = store.byBuilds(ids);
    for (int i = 0; i < nodes.size(); i++) {
      AttestationStore.Attestation a = attestations.get(ids.get(i));
      ObjectNode node = nodes.get(i);
      node.put("signed", a != null && governance.verify(a.signature()).valid());
      if (a == null) {
        node.putNull("vulnerabilities");
        continue;
      }
      ObjectNode counts = node.putObject("vulnerabilities");
      SEVERITIES.forEach(s -> counts.put(s, 0));
      for (FindingView f : a.findings()) {
        String key = f.severity().toLowerCase(Locale.ROOT);
        counts.put(key, counts.path(key).asInt() + 1);
      }
    }
  }
}
