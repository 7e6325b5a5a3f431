package io.slipway.runtime.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KubeVirt's API schema of a named version as JSON Schema, for checking rendered objects. Maven
 * Central has no artifact that ships it; npm has {@code @kubevirt-ui-ext/kubevirt-api}, KubeVirt's
 * OpenAPI document of that version turned into TypeScript declarations by OpenAPI Generator, with
 * every definition's properties, their types, which are required, and the enumerations. The test
 * fetches that package with npm (into {@code target/}, once), reads its declarations and builds
 * from them one JSON Schema definition per API type, closed to unknown properties as KubeVirt's
 * structural CRD schemas are (the API server prunes an unknown field or, with field validation,
 * refuses it).
 *
 * <p>Two things the generator lost are put back, as Kubernetes' own OpenAPI defines them: an
 * IntOrString property (which the declarations type as {@code string}) takes an integer or a
 * string, and the {@code port} of {@code TCPSocketAction} and {@code HTTPGetAction}, an IntOrString
 * the generator dropped, exists and is required.
 */
final class KubevirtApiSchema {

  static final String PACKAGE = "@kubevirt-ui-ext/kubevirt-api";

  /** The package's version, which is KubeVirt's release its OpenAPI document came from. */
  static final String VERSION = "1.7.0";

  private static final Path CACHE = Path.of("target", "kubevirt-api");
  private static final String DECLARATIONS = "package/dist/kubevirt/index.d.ts";

  private static final Pattern INTERFACE =
      Pattern.compile("^interface (\\w+) \\{\\n(.*?)^\\}", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern PROPERTY =
      Pattern.compile(
          "(?:/\\*\\*(?<doc>(?:(?!\\*/).)*)\\*/\\s*)?^ {4}(?<name>['\"]?[\\w$-]+['\"]?)(?<optional>\\?)?:"
              + " (?<type>\\{\\s*\\[key: string\\]: [^;]+;\\s*\\}|[^;\\n]+);",
          Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern ENUM =
      Pattern.compile(
          "^declare const (\\w+Enum): \\{\\n(.*?)^\\};", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern ENUM_VALUE = Pattern.compile("readonly \\w+: \"([^\"]*)\";");
  private static final Pattern MAP = Pattern.compile("\\{\\s*\\[key: string\\]: ([^;]+);\\s*\\}");
  private static final Pattern ARRAY = Pattern.compile("Array<(.+)>");

  /** The types whose IntOrString {@code port} the generator dropped. */
  private static final Set<String> PORT_DROPPED =
      Set.of("K8sIoApiCoreV1TCPSocketAction", "K8sIoApiCoreV1HTTPGetAction");

  private KubevirtApiSchema() {}

  /** The JSON Schema of {@code root} (e.g. {@code V1VirtualMachine}), with every definition. */
  static Map<String, Object> of(String root) {
    String declarations = declarations();
    Map<String, List<String>> enums = new LinkedHashMap<>();
    Matcher e = ENUM.matcher(declarations);
    while (e.find()) {
      List<String> values = new ArrayList<>();
      Matcher v = ENUM_VALUE.matcher(e.group(2));
      while (v.find()) {
        values.add(v.group(1));
      }
      enums.put(e.group(1), values);
    }
    Map<String, String> bodies = new LinkedHashMap<>();
    Matcher i = INTERFACE.matcher(declarations);
    while (i.find()) {
      bodies.put(i.group(1), i.group(2));
    }
    if (!bodies.containsKey(root)) {
      throw new IllegalStateException(PACKAGE + " " + VERSION + " declares no " + root);
    }
    // only what the root reaches: the declarations also hold the generated client's own types
    Map<String, Object> defs = new LinkedHashMap<>();
    java.util.Deque<String> wanted = new java.util.ArrayDeque<>(List.of(root));
    while (!wanted.isEmpty()) {
      String name = wanted.pop();
      if (!defs.containsKey(name)) {
        defs.put(name, definition(name, bodies.get(name), bodies, enums, wanted));
      }
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.put("$ref", "#/$defs/" + root);
    schema.put("$defs", defs);
    return schema;
  }

  private static Map<String, Object> definition(
      String name,
      String body,
      Map<String, String> types,
      Map<String, List<String>> enums,
      java.util.Deque<String> wanted) {
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    Matcher p = PROPERTY.matcher(body);
    while (p.find()) {
      String property = p.group("name").replace("'", "").replace("\"", "");
      String doc = p.group("doc") == null ? "" : p.group("doc");
      Map<String, Object> type =
          doc.contains("IntOrString is a type")
              ? intOrString()
              : type(p.group("type").trim(), types, enums, wanted, name + "." + property);
      properties.put(property, type);
      if (p.group("optional") == null) {
        required.add(property);
      }
    }
    if (PORT_DROPPED.contains(name)) {
      properties.put("port", intOrString());
      required.add("port");
    }
    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("type", "object");
    definition.put("properties", properties);
    if (!required.isEmpty()) {
      definition.put("required", required);
    }
    definition.put("additionalProperties", false);
    return definition;
  }

  private static Map<String, Object> type(
      String type,
      Map<String, String> types,
      Map<String, List<String>> enums,
      java.util.Deque<String> wanted,
      String where) {
    Matcher map = MAP.matcher(type);
    if (map.matches()) {
      return Map.of(
          "type",
          "object",
          "additionalProperties",
          type(map.group(1).trim(), types, enums, wanted, where));
    }
    Matcher array = ARRAY.matcher(type);
    if (array.matches()) {
      return Map.of(
          "type", "array", "items", type(array.group(1).trim(), types, enums, wanted, where));
    }
    return switch (type) {
      case "string", "Date" -> Map.of("type", "string");
      case "number" -> Map.of("type", "number");
      case "boolean" -> Map.of("type", "boolean");
      case "any", "object" -> Map.of();
      default -> {
        if (enums.containsKey(type)) {
          yield Map.of("enum", enums.get(type));
        }
        if (types.containsKey(type)) {
          wanted.push(type);
          yield Map.of("$ref", "#/$defs/" + type);
        }
        throw new IllegalStateException(
            "the declarations type "
                + where
                + " as '"
                + type
                + "', which this reader does not know");
      }
    };
  }

  private static Map<String, Object> intOrString() {
    return Map.of("type", List.of("integer", "string"));
  }

  /** The package's declarations of KubeVirt's API, fetched with npm when not in target/ yet. */
  private static String declarations() {
    Path tarball = CACHE.resolve("kubevirt-ui-ext-kubevirt-api-" + VERSION + ".tgz");
    try {
      if (!Files.exists(tarball)) {
        Files.createDirectories(CACHE);
        run(
            List.of(
                "npm",
                "pack",
                PACKAGE + "@" + VERSION,
                "--pack-destination",
                CACHE.toAbsolutePath().toString()));
      }
      return run(List.of("tar", "-xzOf", tarball.toAbsolutePath().toString(), DECLARATIONS));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + PACKAGE + " " + VERSION + ": " + e, e);
    }
  }

  private static String run(List<String> command) throws IOException {
    Path output = Files.createTempFile("kubevirt-api", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(false)
              .redirectOutput(output.toFile())
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
      String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not end within 5 minutes");
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " exited with "
                + process.exitValue()
                + ": "
                + lastLines(errors));
      }
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + command, e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String lastLines(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }
}
