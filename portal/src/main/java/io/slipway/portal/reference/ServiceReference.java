package io.slipway.portal.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One service's part of the combined API reference, read from its OpenAPI document: its title and
 * description as the service gives them, and its operations grouped by tag in the document's order;
 * or why the document could not be read.
 *
 * @param service the service's name, e.g. {@code build-service}
 * @param baseUrl where the portal reaches it
 * @param title the document's title
 * @param description the document's description
 * @param groups its operations, by tag
 * @param error why there is nothing else; null when the document was read
 */
record ServiceReference(
    String service,
    String baseUrl,
    String title,
    String description,
    List<Group> groups,
    String error) {

  /** The operations of one tag. */
  record Group(String tag, List<Operation> operations) {}

  /** One operation: its HTTP method (upper case), path template and summary. */
  record Operation(String method, String path, String summary) {}

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  /** The reference of a service whose OpenAPI document is {@code document}. */
  static ServiceReference of(String service, String baseUrl, JsonNode document) {
    Map<String, List<Operation>> byTag = new LinkedHashMap<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        method -> {
                          if (!METHODS.contains(method.getKey())) {
                            return;
                          }
                          JsonNode operation = method.getValue();
                          String tag =
                              operation
                                  .path("tags")
                                  .path(0)
                                  .asString("other")
                                  .replaceFirst("-controller$", "");
                          String summary = operation.path("summary").asString("");
                          byTag
                              .computeIfAbsent(tag, key -> new ArrayList<>())
                              .add(
                                  new Operation(
                                      method.getKey().toUpperCase(Locale.ROOT),
                                      path.getKey(),
                                      (path.getKey().contains("/internal/")
                                              ? "(for the platform's services only) "
                                              : "")
                                          + (summary.isBlank()
                                              ? words(operation.path("operationId").asString(""))
                                              : summary)));
                        }));
    List<Group> groups = new ArrayList<>();
    byTag.forEach((tag, operations) -> groups.add(new Group(tag, List.copyOf(operations))));
    return new ServiceReference(
        service,
        baseUrl,
        document.path("info").path("title").asString(service),
        document.path("info").path("description").asString(""),
        List.copyOf(groups),
        null);
  }

  /**
   * An operation id in words, for an operation without a summary: {@code putTenantQuota} is "Put
   * tenant quota"; the number springdoc appends to a repeated id ({@code list_1}) is dropped.
   */
  static String words(String operationId) {
    String words =
        operationId
            .replaceFirst("_[0-9]+$", "")
            .replaceAll("([a-z0-9])([A-Z])", "$1 $2")
            .toLowerCase(Locale.ROOT);
    return words.isEmpty() ? "" : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /** A service whose document could not be read, saying why. */
  static ServiceReference unavailable(String service, String baseUrl, String why) {
    return new ServiceReference(service, baseUrl, service, "", List.of(), why);
  }

  /** How many operations it documents. */
  public int operationCount() {
    return groups.stream().mapToInt(group -> group.operations().size()).sum();
  }

  /** The OpenAPI document's URL. */
  public String documentUrl() {
    return baseUrl + "/v3/api-docs";
  }

  /** The service's Swagger UI. */
  public String swaggerUrl() {
    return baseUrl + "/swagger-ui.html";
  }
}
