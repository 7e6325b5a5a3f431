package io.slipway.cli.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * Writes slipway-cli's client of the services, {@code io.slipway.cli.api.generated}, from the
 * services' committed OpenAPI documents ({@code docs/openapi/<service>.json}) and the list of the
 * operations the CLI calls ({@code src/main/openapi/operations}): per service a class with one
 * method per listed operation (its path, parameters, body and answer as the document gives them)
 * and a record per schema those operations answer or take. {@link GeneratedClientTest} runs it: the
 * committed sources must be what it writes, so no call of the CLI's is written by hand.
 *
 * <p>The operations list names each operation the CLI's way (the documents' operation ids are
 * springdoc's, {@code get_5}, and move when a controller is added) and says how it is answered:
 * {@code json}, {@code wait} (the change done before the answer: {@code Prefer: wait}), {@code
 * async} ({@code Prefer: respond-async}) or {@code events} (a server-sent event stream). Anything
 * the generator cannot express (an operation or schema it does not know, a property that is no Java
 * name, {@code wait} on an operation without a {@code Prefer} header) fails it, naming what.
 */
final class ClientGenerator {

  static final String PACKAGE = "io.slipway.cli.api.generated";

  private static final Pattern LINE =
      Pattern.compile("(\\S+)\\s+(\\S+)\\s+(GET|POST|PUT|PATCH|DELETE)\\s+(\\S+)(?:\\s+(\\S+))?");
  private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");
  private static final Set<String> MODES = Set.of("json", "wait", "async", "events");

  /** One operation the CLI calls. */
  record Operation(String service, String name, String method, String path, String mode) {}

  private ClientGenerator() {}

  /** The sources to write, by their path under {@code src/main/java}. */
  static Map<Path, String> generate(Path documents, Path operations) {
    Map<String, List<Operation>> byService = new LinkedHashMap<>();
    for (Operation operation : operations(read(operations))) {
      byService.computeIfAbsent(operation.service(), s -> new ArrayList<>()).add(operation);
    }
    Map<Path, String> sources = new LinkedHashMap<>();
    byService.forEach(
        (service, listed) -> {
          Map<String, Object> document =
              Json.object(Json.parse(read(documents.resolve(service + ".json"))));
          String type = className(service);
          sources.put(
              Path.of(PACKAGE.replace('.', '/'), type + ".java"),
              new ServiceWriter(service, type, document).write(listed));
        });
    return sources;
  }

  static List<Operation> operations(String text) {
    List<Operation> operations = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      String content = line.strip();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(content);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "operations line " + number + ": expected 'service name METHOD /path [mode]': " + line);
      }
      String mode = m.group(5) == null ? "json" : m.group(5);
      if (!MODES.contains(mode)) {
        throw new IllegalArgumentException(
            "operations line " + number + ": the mode is one of " + MODES + ", not " + mode);
      }
      if (!SourceVersion.isName(m.group(2)) || !names.add(m.group(1) + " " + m.group(2))) {
        throw new IllegalArgumentException(
            "operations line "
                + number
                + ": "
                + m.group(2)
                + " is no Java name or is listed twice");
      }
      operations.add(new Operation(m.group(1), m.group(2), m.group(3), m.group(4), mode));
    }
    return operations;
  }

  /** {@code tenant-service} → {@code TenantServiceClient}. */
  static String className(String service) {
    StringBuilder name = new StringBuilder();
    for (String part : service.split("-")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.append("Client").toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One service's class. */
  private static final class ServiceWriter {

    private final String service;
    private final String type;
    private final Map<String, Object> paths;
    private final Map<String, Object> schemas;
    private final Set<String> records = new LinkedHashSet<>();
    private final Set<String> requests = new LinkedHashSet<>();
    private final StringBuilder out = new StringBuilder();

    ServiceWriter(String service, String type, Map<String, Object> document) {
      this.service = service;
      this.type = type;
      this.paths = Json.object(document.get("paths"));
      this.schemas = Json.object(Json.object(document.get("components")).get("schemas"));
    }

    String write(List<Operation> operations) {
      out.append("// Generated by ClientGenerator (slipway-cli's tests) from docs/openapi/")
          .append(service)
          .append(".json\n// and src/main/openapi/operations: do not edit, regenerate")
          .append(" (docs/cli.md).\npackage ")
          .append(PACKAGE)
          .append(";\n\nimport io.slipway.cli.api.Http;\nimport io.slipway.cli.api.Json;\n")
          .append(
              "import io.slipway.cli.api.Uris;\nimport java.util.List;\nimport java.util.Map;\n")
          .append("import java.util.function.BiConsumer;\n\n/** The operations of ")
          .append(service)
          .append(" that slipway-cli calls, and the records they answer and take. */\n")
          .append("@SuppressWarnings(\"unused\")\npublic final class ")
          .append(type)
          .append(" {\n\n  private final Http http;\n\n  public ")
          .append(type)
          .append("(Http http) {\n    this.http = http;\n  }\n");
      for (Operation operation : operations) {
        method(operation);
      }
      // records of the schemas reached, each once (a schema may reach others)
      Set<String> written = new LinkedHashSet<>();
      while (!written.containsAll(records)) {
        for (String name : List.copyOf(records)) {
          if (written.add(name)) {
            record(name);
          }
        }
      }
      return out.append("}\n").toString();
    }

    private void method(Operation operation) {
      String where = operation.method() + " " + operation.path();
      Map<String, Object> op =
          Json.object(
              Json.object(paths.get(operation.path()))
                  .get(operation.method().toLowerCase(Locale.ROOT)));
      if (op.isEmpty()) {
        throw new IllegalArgumentException(where + " is not in docs/openapi/" + service + ".json");
      }
      List<String> parameters = new ArrayList<>();
      List<String> pathValues = new ArrayList<>();
      List<String> queryPairs = new ArrayList<>();
      boolean prefer = false;
      Map<String, Map<String, Object>> pathParameters = new LinkedHashMap<>();
      for (Object p : list(op.get("parameters"))) {
        Map<String, Object> parameter = Json.object(p);
        String name = (String) parameter.get("name");
        Map<String, Object> schema = Json.object(parameter.get("schema"));
        switch (String.valueOf(parameter.get("in"))) {
          case "path" -> pathParameters.put(name, schema);
          case "query" -> {
            String java = javaName(name, where);
            parameters.add(boxed(schema, where) + " " + java);
            queryPairs.add("\"" + name + "\", " + java);
          }
          case "header" -> prefer |= name.equalsIgnoreCase("Prefer");
          default -> {
            // cookies: the CLI sends none
          }
        }
      }
      // path variables in the path's order, whatever order the document lists them in
      List<String> pathParameterList = new ArrayList<>();
      Matcher variables = PATH_VARIABLE.matcher(operation.path());
      while (variables.find()) {
        String name = variables.group(1);
        Map<String, Object> schema = pathParameters.get(name);
        if (schema == null) {
          throw new IllegalArgumentException(
              operation.path()
                  + ": path variable "
                  + name
                  + " is not a parameter of the operation");
        }
        String java = javaName(name, where);
        pathParameterList.add(pathType(schema) + " " + java);
        pathValues.add(java);
      }
      parameters.addAll(0, pathParameterList);
      if (List.of("wait", "async").contains(operation.mode()) && !prefer) {
        throw new IllegalArgumentException(
            where + " takes no Prefer header: mode " + operation.mode() + " is not offered");
      }
      Map<String, Object> content = Json.object(Json.object(op.get("requestBody")).get("content"));
      boolean hasBody = !content.isEmpty();
      if (hasBody) {
        Map<String, Object> media = Json.object(content.values().iterator().next());
        String bodyType = javaType(Json.object(media.get("schema")), where);
        if (records.contains(bodyType)) {
          requests.add(bodyType);
        }
        parameters.add(bodyType + " body");
      }
      String answer = answer(op, operation);
      if (operation.mode().equals("events")) {
        parameters.add("BiConsumer<String, String> events");
      }
      String path =
          "Uris.path(\""
              + PATH_VARIABLE.matcher(operation.path()).replaceAll("{}")
              + "\""
              + pathValues.stream().map(v -> ", " + v).reduce("", String::concat)
              + ")"
              + (queryPairs.isEmpty()
                  ? ""
                  : " + Uris.query(" + String.join(", ", queryPairs) + ")");
      String bodyArgument = hasBody ? ", Json.present(body)" : ", null";
      String call =
          switch (operation.mode()) {
            case "events" -> "http.events(" + path + ", events)";
            case "wait" ->
                "http."
                    + operation.method().toLowerCase(Locale.ROOT)
                    + "AwaitingDone("
                    + path
                    + bodyArgument
                    + ")";
            case "async" ->
                "http."
                    + operation.method().toLowerCase(Locale.ROOT)
                    + "RespondAsync("
                    + path
                    + bodyArgument
                    + ")";
            default ->
                switch (operation.method()) {
                  case "GET" -> "http.get(" + path + ")";
                  case "DELETE" -> "http.delete(" + path + ")";
                  default ->
                      "http."
                          + operation.method().toLowerCase(Locale.ROOT)
                          + "("
                          + path
                          + bodyArgument
                          + ")";
                };
          };
      String returned = operation.mode().equals("events") ? "void" : answer;
      out.append("\n  /** {@code ")
          .append(operation.method())
          .append(' ')
          .append(operation.path())
          .append("}")
          .append(
              switch (operation.mode()) {
                case "wait" -> ", answered once done ({@code Prefer: wait})";
                case "async" -> ", answered once started ({@code Prefer: respond-async})";
                case "events" -> ": each server-sent event's name and data to {@code events}";
                default -> "";
              })
          .append(". */\n  public ")
          .append(returned)
          .append(' ')
          .append(operation.name())
          .append('(')
          .append(String.join(", ", parameters))
          .append(") {\n    ");
      if (returned.equals("void")) {
        out.append(call).append(";\n");
      } else if (returned.startsWith("List<")) {
        String item = returned.substring(5, returned.length() - 1);
        out.append("return Json.readList(")
            .append(call)
            .append(", ")
            .append(item)
            .append(".class);\n");
      } else {
        out.append("return Json.read(")
            .append(call)
            .append(", ")
            .append(returned)
            .append(".class);\n");
      }
      out.append("  }\n");
    }

    /**
     * The Java type of the operation's answer: a record, a list of records, or void (no content, or
     * an event stream, read by the caller's consumer).
     */
    private String answer(Map<String, Object> op, Operation operation) {
      Map<String, Object> responses = Json.object(op.get("responses"));
      String where = operation.method() + " " + operation.path();
      for (String code : List.of("200", "201", "202")) {
        Map<String, Object> content = Json.object(Json.object(responses.get(code)).get("content"));
        if (content.isEmpty()) {
          continue;
        }
        if (operation.mode().equals("events")) {
          if (!content.containsKey("text/event-stream")) {
            throw new IllegalArgumentException(where + " answers no event stream");
          }
          return "void";
        }
        Map<String, Object> schema =
            Json.object(Json.object(content.values().iterator().next()).get("schema"));
        boolean records =
            schema.containsKey("$ref")
                || ("array".equals(schema.get("type"))
                    && Json.object(schema.get("items")).containsKey("$ref"));
        if (!records) {
          throw new IllegalArgumentException(
              where + " answers " + schema + ", not a JSON object or a list of them");
        }
        return javaType(schema, where);
      }
      return "void";
    }

    /**
     * A schema's record. One the CLI sends is built by name, never by position ({@code
     * CreateApp.empty().withName(n)}): its components are in the document's (alphabetical) order,
     * and a property added to it must not shift the others' values.
     */
    private void record(String name) {
      Map<String, Object> schema = Json.object(schemas.get(name));
      if (schema.isEmpty()) {
        throw new IllegalArgumentException(
            "schema " + name + " is not in docs/openapi/" + service + ".json");
      }
      String where = "schema " + name;
      Map<String, String> components = new LinkedHashMap<>();
      Json.object(schema.get("properties"))
          .forEach(
              (property, value) ->
                  components.put(javaName(property, where), javaType(Json.object(value), where)));
      out.append("\n  /** Schema {@code ")
          .append(name)
          .append("}. */\n  public record ")
          .append(name)
          .append('(')
          .append(
              String.join(
                  ", ",
                  components.entrySet().stream()
                      .map(c -> c.getValue() + " " + c.getKey())
                      .toList()))
          .append(')');
      if (!requests.contains(name)) {
        out.append(" {}\n");
        return;
      }
      out.append(" {\n\n    /** Nothing given: each {@code with...} gives one field. */\n")
          .append("    public static ")
          .append(name)
          .append(" empty() {\n      return new ")
          .append(name)
          .append('(')
          .append(String.join(", ", components.keySet().stream().map(c -> "null").toList()))
          .append(");\n    }\n");
      for (Map.Entry<String, String> component : components.entrySet()) {
        String field = component.getKey();
        out.append("\n    public ")
            .append(name)
            .append(" with")
            .append(Character.toUpperCase(field.charAt(0)))
            .append(field.substring(1))
            .append('(')
            .append(component.getValue())
            .append(' ')
            .append(field)
            .append(") {\n      return new ")
            .append(name)
            .append('(')
            .append(String.join(", ", components.keySet()))
            .append(");\n    }\n");
      }
      out.append("  }\n");
    }

    /** A schema's Java type, boxed (any value may be absent); records it reaches are written. */
    private String javaType(Map<String, Object> schema, String where) {
      if (schema.get("$ref") instanceof String ref) {
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        if (!SourceVersion.isName(name)) {
          throw new IllegalArgumentException(where + ": schema name " + name + " is no Java name");
        }
        records.add(name);
        return name;
      }
      return switch (String.valueOf(schema.get("type"))) {
        case "string" -> "String";
        case "boolean" -> "Boolean";
        case "integer" -> "int64".equals(schema.get("format")) ? "Long" : "Integer";
        case "number" -> "Double";
        case "array" -> "List<" + javaType(Json.object(schema.get("items")), where) + ">";
        case "object" -> {
          if (schema.containsKey("properties")) {
            throw new IllegalArgumentException(
                where + ": an inline object schema is not supported");
          }
          yield schema.get("additionalProperties") instanceof Map<?, ?> values && !values.isEmpty()
              ? "Map<String, " + javaType(Json.object(values), where) + ">"
              : "Map<String, Object>";
        }
        default -> "Object";
      };
    }

    private String boxed(Map<String, Object> schema, String where) {
      String java = javaType(schema, where);
      if (!List.of("String", "Boolean", "Integer", "Long", "Double").contains(java)) {
        throw new IllegalArgumentException(
            where + ": a query parameter of type " + java + " is not supported");
      }
      return java;
    }

    private static String pathType(Map<String, Object> schema) {
      return switch (String.valueOf(schema.get("type"))) {
        case "integer" -> "int64".equals(schema.get("format")) ? "long" : "int";
        default -> "String";
      };
    }

    private static String javaName(String name, String where) {
      if (!SourceVersion.isName(name)) {
        throw new IllegalArgumentException(where + ": " + name + " is no Java name");
      }
      return name;
    }

    private static List<?> list(Object value) {
      return value instanceof List<?> list ? list : List.of();
    }
  }
}
