package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.slipway.cli.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The shapes of {@code -o json} and {@code -o yaml} that docs/cli.md promises scripts (the table
 * after {@code <!-- output-shapes -->}): every command of the table runs against stand-in services
 * that answer every field they have (and one the CLI does not know), and its output in both formats
 * has exactly the documented fields with the documented types. YAML is read with SnakeYAML, not
 * with anything of the CLI's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputShapeTest {

  private static final String APP = "/api/v1/tenants/acme/projects/web/apps/site";
  private static final String TIME = "\"2026-01-01T00:00:00Z\"";

  @TempDir static Path home;
  private FakeService service;
  private Run cli;

  @BeforeAll
  void start() {
    try {
      service = answers(new FakeService());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    cli =
        new Run(home)
            .env("SLIPWAY_TENANT_URL", service.url())
            .env("SLIPWAY_BUILD_URL", service.url())
            .env("SLIPWAY_RUNTIME_URL", service.url());
    assertThat(cli.run("login", "--token", "slp_shapes").code()).isZero();
    assertThat(cli.run("use", "acme/web/site").code()).isZero();
  }

  @AfterAll
  void stop() {
    service.close();
  }

  /** One row of the table: a command line and the shape of its output. */
  record Row(String command, Shape shape) {
    @Override
    public String toString() {
      return command;
    }
  }

  static List<Row> documented() throws IOException {
    String markdown = Files.readString(Path.of("..", "docs", "cli.md"));
    String table = markdown.substring(markdown.indexOf("<!-- output-shapes -->"));
    table = table.substring(0, table.indexOf("\n\n", table.indexOf('|')));
    List<Row> rows = new ArrayList<>();
    Matcher row =
        Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\|$", Pattern.MULTILINE).matcher(table);
    while (row.find()) {
      rows.add(new Row(row.group(1), Shape.parse(row.group(2))));
    }
    return rows;
  }

  @Test
  void theTableCoversTheListAndInfoCommands() throws IOException {
    assertThat(documented())
        .extracting(Row::command)
        .contains(
            "tenants list",
            "projects list",
            "apps list",
            "apps info",
            "builds list",
            "env list",
            "secrets list",
            "domains list",
            "tokens list",
            "quota",
            "usage",
            "whoami",
            "run true",
            "cron",
            "activations");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documented")
  void jsonAndYamlHaveTheDocumentedShape(Row row) {
    String[] command = row.command().split(" ");
    Run.Result json = cli.run(with(command, "-o", "json"));
    assertThat(json.code()).as(json.err()).isZero();
    Object fromJson = Json.parse(json.out());
    row.shape().check(fromJson, row.command());

    Run.Result yaml = cli.run(with(command, "-o", "yaml"));
    assertThat(yaml.code()).as(yaml.err()).isZero();
    Object fromYaml = new Yaml().load(yaml.out());
    row.shape().check(fromYaml, row.command() + " (yaml)");
    assertThat(numbersAsLongs(fromYaml)).isEqualTo(numbersAsLongs(fromJson));
  }

  @Test
  void theCheckerRefusesAMissingFieldAWrongTypeAndAnUndocumentedField() {
    Shape shape = Shape.parse("[{name: string, replicas: integer?, tags: [string]}]");
    shape.check(List.of(item("a", null, List.of())), "null where the type allows it");
    shape.check(List.of(item("a", 3L, List.of("x"))), "every field");
    Map<String, Object> extra = item("a", 1, List.of());
    extra.put("extra", 1);
    for (Object wrong :
        List.of(
            List.of(Map.of("name", "a", "tags", List.of())),
            List.of(item(null, 1, List.of())),
            List.of(item(1, 1, List.of())),
            List.of(item("a", "1", List.of())),
            List.of(item("a", 1.5, List.of())),
            List.of(item("a", 1, List.of(1))),
            List.of(extra),
            item("a", 1, List.of()))) {
      try {
        shape.check(wrong, "wrong");
      } catch (AssertionError expected) {
        continue;
      }
      fail("accepted " + wrong);
    }
  }

  private static Map<String, Object> item(Object name, Object replicas, List<?> tags) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("name", name);
    item.put("replicas", replicas);
    item.put("tags", tags);
    return item;
  }

  private static String[] with(String[] command, String... more) {
    return Stream.concat(Stream.of(command), Stream.of(more)).toArray(String[]::new);
  }

  /** SnakeYAML reads small numbers as Integer, the CLI's JSON reader as Long. */
  private static Object numbersAsLongs(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, numbersAsLongs(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(OutputShapeTest::numbersAsLongs).toList();
    }
    return value instanceof Integer i ? Long.valueOf(i) : value;
  }

  /** Every answer with every field the service sends, and one the CLI does not model. */
  private static FakeService answers(FakeService service) {
    return service
        .answer(
            "GET /api/v1/tenants",
            200,
            page(
                "{\"id\":\"t1\",\"name\":\"acme\",\"displayName\":\"Acme\",\"createdAt\":"
                    + TIME
                    + ",\"createdBy\":\"alice\",\"role\":\"tenant-admin\",\"unknown\":1}"))
        .answer(
            "GET /api/v1/tenants/acme/projects",
            200,
            page(
                "{\"id\":\"p1\",\"tenantId\":\"t1\",\"tenant\":\"acme\",\"name\":\"web\","
                    + "\"displayName\":null,\"createdAt\":"
                    + TIME
                    + ",\"createdBy\":\"alice\"}"))
        .answer("GET /api/v1/tenants/acme/projects/web/apps", 200, page(app()))
        .answer("GET " + APP, 200, app())
        .answer(
            "GET " + APP + "/deployments",
            200,
            "{\"tenant\":\"acme\",\"project\":\"web\",\"app\":\"site\",\"url\":\"http://site\","
                + "\"liveRevision\":2,\"stopped\":false,\"revisions\":[{\"revision\":2,"
                + "\"status\":\"live\",\"image\":\"i\",\"digest\":\"sha256:1\",\"replicas\":3,"
                + "\"port\":8080,\"buildId\":null,\"reason\":null,\"createdAt\":"
                + TIME
                + ",\"liveAt\":"
                + TIME
                + "}]}")
        .answer(
            "GET " + APP + "/builds",
            200,
            page(
                "{\"id\":\"9b2f0c1e-0000-4000-8000-000000000001\",\"tenant\":\"acme\","
                    + "\"project\":\"web\",\"app\":\"site\",\"number\":1,\"commitId\":\"abc\","
                    + "\"ref\":\"refs/heads/main\",\"pushedBy\":\"alice\",\"status\":\"failed\","
                    + "\"reason\":\"exit 1\",\"image\":null,\"digest\":null,\"createdAt\":"
                    + TIME
                    + ",\"startedAt\":"
                    + TIME
                    + ",\"finishedAt\":"
                    + TIME
                    + ",\"stages\":[]}"))
        .answer(
            "GET " + APP + "/env",
            200,
            "{\"env\":{\"GREETING\":\"hello\"},\"secrets\":[\"DB_PASSWORD\"]}")
        .answer(
            "GET " + APP + "/domains",
            200,
            "{\"domains\":[{\"domain\":\"www.example.com\",\"state\":\"pending\","
                + "\"token\":\"tok\",\"httpUrl\":\"http://www.example.com/.well-known/x\","
                + "\"txtName\":\"_slipway-challenge.www.example.com\",\"failure\":null,"
                + "\"checkedAt\":null,\"verifiedAt\":null}]}")
        .answer(
            "GET /api/v1/tokens",
            200,
            page(
                "{\"id\":12,\"name\":\"ci\",\"scopes\":[\"api\",\"git\"],\"prefix\":\"slp_ab\","
                    + "\"createdAt\":"
                    + TIME
                    + ",\"expiresAt\":"
                    + TIME
                    + ",\"lastUsedAt\":null,\"revokedAt\":null,\"status\":\"active\"}"))
        .answer(
            "POST " + APP + "/runs",
            202,
            "{\"id\":\"abcdefgh2345\",\"revision\":2,\"command\":\"true\",\"runBy\":\"alice\","
                + "\"startedAt\":"
                + TIME
                + ",\"finishedAt\":null,\"exitCode\":null,\"timedOut\":false,\"output\":null,"
                + "\"durationMs\":null}")
        .text(
            "GET " + APP + "/runs/abcdefgh2345/output",
            200,
            "text/event-stream",
            "event:end\ndata:{\"id\":\"abcdefgh2345\",\"revision\":2,\"command\":\"true\","
                + "\"runBy\":\"alice\",\"startedAt\":"
                + TIME
                + ",\"finishedAt\":"
                + TIME
                + ",\"exitCode\":0,\"timedOut\":false,\"output\":\"\",\"durationMs\":12,"
                + "\"unknown\":1}\n\n")
        .answer(
            "GET " + APP + "/cron",
            200,
            "{\"tenant\":\"acme\",\"project\":\"web\",\"app\":\"site\",\"revision\":2,"
                + "\"stopped\":false,\"timeZone\":\"UTC\",\"entries\":[{\"id\":\"c7f95ddb971c\","
                + "\"schedule\":\"*/10 * * * *\",\"command\":\"./report\",\"nextRunAt\":"
                + TIME
                + ",\"lastRuns\":[{\"dueAt\":"
                + TIME
                + ",\"status\":\"succeeded\",\"runId\":\"abcdefgh2345\",\"exitCode\":0,"
                + "\"startedAt\":"
                + TIME
                + ",\"durationMs\":12,\"reason\":null,\"unknown\":1},{\"dueAt\":"
                + TIME
                + ",\"status\":\"skipped\",\"runId\":null,\"exitCode\":null,"
                + "\"startedAt\":null,\"durationMs\":null,\"reason\":\"still ran\"}]}]}")
        .answer(
            "GET " + APP + "/activations",
            200,
            "{\"activations\":[{\"id\":\"acaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"revision\":2,"
                + "\"trigger\":\"http\",\"startedAt\":"
                + TIME
                + ",\"durationMs\":12,\"status\":\"error\",\"httpStatus\":502,"
                + "\"resultBytes\":0,\"error\":\"Error: boom\",\"unknown\":1},"
                + "{\"id\":\"acbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"revision\":2,\"trigger\":\"cron\","
                + "\"startedAt\":"
                + TIME
                + ",\"durationMs\":3,\"status\":\"success\",\"httpStatus\":200,"
                + "\"resultBytes\":25,\"error\":null}],\"next\":null}")
        .answer("GET /api/v1/tenants/acme/quota", 200, quota(""))
        .answer(
            "GET /api/v1/tenants/acme/usage",
            200,
            quota(
                "\"tenant\":\"acme\",\"measured\":[{\"key\":\"activations\",\"storageMib\":0,"
                    + "\"activations\":7},{\"key\":\"git\",\"storageMib\":4,\"activations\":0}],"
                    + "\"projects\":{\"items\":[],\"page\":0,\"size\":200,\"total\":0},"));
  }

  private static String app() {
    return "{\"id\":\"a1\",\"tenantId\":\"t1\",\"projectId\":\"p1\",\"tenant\":\"acme\","
        + "\"project\":\"web\",\"name\":\"site\",\"hostLabel\":\"site--web--acme\","
        + "\"source\":\"hosted-git\",\"sourceRef\":null,\"createdAt\":"
        + TIME
        + ",\"createdBy\":\"alice\"}";
  }

  private static String quota(String more) {
    return "{"
        + more
        + "\"limits\":{\"apps\":10,\"storageMib\":100},\"used\":{\"apps\":1,\"storageMib\":9},"
        + "\"overages\":{}}";
  }

  private static String page(String item) {
    return "{\"items\":[" + item + "],\"page\":0,\"size\":200,\"total\":1}";
  }
}
