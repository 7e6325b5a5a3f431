package io.slipway.build.procfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** app.json as Heroku and Dokku apps carry it, and as a hostile tenant might write it. */
class AppJsonTest {

  private static AppJson parse(String json) throws AppJsonException {
    return AppJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Dokku's documented shape, with Heroku's members Slipway ignores. */
  @Test
  void readsADokkuAppJson() throws Exception {
    AppJson appJson =
        parse(
            """
            {
              "name": "getting-started", "description": "a sample", "keywords": ["node"],
              "addons": ["heroku-postgresql"], "buildpacks": [{"url": "heroku/nodejs"}],
              "scripts": {"dokku": {"predeploy": "npm run migrate", "postdeploy": "npm run warm"}},
              "env": {
                "DATABASE_URL": {"description": "the database", "required": true},
                "SECRET_KEY": {"generator": "secret"},
                "WEB_CONCURRENCY": "2",
                "OPTIONAL": {"required": false}
              },
              "formation": {"web": {"quantity": 1, "size": "standard-1x"}, "worker": {"quantity": 2}},
              "healthchecks": {"web": [
                {"type": "startup", "name": "web check", "path": "/health", "content": "ok",
                 "attempts": 3, "wait": 2, "timeout": 4},
                {"type": "liveness", "path": "/live"},
                {"type": "startup", "path": "/second"}
              ]},
              "cron": [{"command": "echo hi", "schedule": "@daily"}]
            }
            """);
    assertThat(appJson.predeploy()).isEqualTo("npm run migrate");
    assertThat(appJson.postdeploy()).isEqualTo("npm run warm");
    assertThat(appJson.requiredEnv()).containsExactly("DATABASE_URL");
    assertThat(appJson.formation()).containsExactly(Map.entry("web", 1), Map.entry("worker", 2));
    assertThat(appJson.healthcheck()).isEqualTo(new AppJson.HealthCheck("/health", "ok", 4, 3, 2));
    assertThat(appJson.notes())
        .containsExactly(
            "app.json: healthchecks.web[1] is not used (only HTTP startup checks with a path are"
                + " run at deploy)",
            "app.json: healthchecks.web[2] is not used (the first web check is)");
    assertThat(appJson.label())
        .containsExactly(
            Map.entry("predeploy", "npm run migrate"),
            Map.entry("postdeploy", "npm run warm"),
            Map.entry("formation", Map.of("web", 1, "worker", 2)),
            Map.entry("requiredEnv", java.util.List.of("DATABASE_URL")),
            Map.entry(
                "healthcheck",
                Map.of("path", "/health", "content", "ok", "timeout", 4, "attempts", 3, "wait", 2)),
            Map.entry(
                "cron", java.util.List.of(Map.of("command", "echo hi", "schedule", "@daily"))));
  }

  @Test
  void herokuScriptsAndAnEmptyFile() throws Exception {
    AppJson heroku = parse("{\"scripts\":{\"postdeploy\":\"bundle exec rake db:seed\"}}");
    assertThat(heroku.postdeploy()).isEqualTo("bundle exec rake db:seed");
    assertThat(heroku.predeploy()).isNull();
    assertThat(parse("{\"name\":\"x\"}").empty()).isTrue();
    assertThat(parse("{}").label()).isEmpty();
  }

  /** Each refusal names the member at fault; nothing crashes. */
  @Test
  void refusesHostileOrMistakenFilesSayingWhy() {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("{", "app.json is not valid JSON"),
            Map.entry("", "app.json must be a JSON object"),
            Map.entry("[]", "app.json must be a JSON object"),
            Map.entry("\"x\"", "app.json must be a JSON object"),
            Map.entry("{} {}", "app.json is not valid JSON"),
            Map.entry("{\"a\":1,\"a\":2}", "app.json is not valid JSON"),
            Map.entry("[".repeat(5000) + "]".repeat(5000), "app.json is not valid JSON"),
            Map.entry("{\"scripts\":[]}", "app.json: scripts must be a JSON object"),
            Map.entry(
                "{\"scripts\":{\"predeploy\":42}}",
                "app.json: scripts.predeploy must be a command of one line"),
            Map.entry(
                "{\"scripts\":{\"predeploy\":\"a\\nb\"}}",
                "app.json: scripts.predeploy must be a command of one line"),
            Map.entry(
                "{\"scripts\":{\"predeploy\":\"a\",\"dokku\":{\"predeploy\":\"b\"}}}",
                "app.json declares both scripts.predeploy and scripts.dokku.predeploy"),
            Map.entry(
                "{\"formation\":{\"worker\":{\"quantity\":\"2\"}}}",
                "app.json: formation.worker.quantity must be a whole number from 0 to 100"),
            Map.entry(
                "{\"formation\":{\"worker\":{\"quantity\":1e9}}}",
                "app.json: formation.worker.quantity must be a whole number from 0 to 100"),
            Map.entry(
                "{\"formation\":{\"worker\":{\"quantity\":101}}}",
                "app.json: formation.worker.quantity must be a whole number from 0 to 100"),
            Map.entry("{\"formation\":{\"worker\":3}}", "app.json: formation.worker must be"),
            Map.entry("{\"formation\":{\"a b\":{}}}", "app.json: formation names a process type"),
            Map.entry("{\"env\":{\"1X\":\"v\"}}", "app.json: env names a variable"),
            Map.entry("{\"cron\":{}}", "app.json: cron must be a list of at most 20 entries"),
            Map.entry(
                "{\"cron\":[" + "{\"command\":\"x\",\"schedule\":\"@daily\"},".repeat(20) + "{}]}",
                "app.json: cron must be a list of at most 20 entries"),
            Map.entry("{\"cron\":[\"@daily\"]}", "app.json: cron[0] must be an object"),
            Map.entry(
                "{\"cron\":[{\"schedule\":\"@daily\"}]}", "app.json: cron[0].command is missing"),
            Map.entry(
                "{\"cron\":[{\"command\":\"a\\nb\",\"schedule\":\"@daily\"}]}",
                "app.json: cron[0].command must be a command of one line"),
            Map.entry(
                "{\"cron\":[{\"command\":\"x\",\"schedule\":5}]}",
                "app.json: cron[0].schedule must be a cron schedule"),
            Map.entry("{\"env\":{\"X\":7}}", "app.json: env.X must be a string or an object"),
            Map.entry(
                "{\"env\":{\"X\":{\"required\":\"yes\"}}}",
                "app.json: env.X.required must be true or false"),
            Map.entry(
                "{\"healthchecks\":{\"web\":{}}}",
                "app.json: healthchecks.web must be a list of checks"),
            Map.entry(
                "{\"healthchecks\":{\"web\":[{\"path\":\"http://evil/\"}]}}",
                "app.json: healthchecks.web[0].path must start with /"),
            Map.entry(
                "{\"healthchecks\":{\"web\":[{\"path\":\"/\",\"attempts\":0}]}}",
                "app.json: healthchecks.web[0].attempts must be a whole number from 1 to 100"),
            Map.entry(
                "{\"healthchecks\":{\"web\":[{\"path\":\"/\",\"timeout\":\"5\"}]}}",
                "app.json: healthchecks.web[0].timeout must be a whole number from 1 to 120"));
    cases.forEach(
        (json, reason) ->
            assertThatThrownBy(() -> parse(json))
                .as(json.length() > 60 ? json.substring(0, 60) : json)
                .isInstanceOf(AppJsonException.class)
                .hasMessageStartingWith(reason));
  }

  @Test
  void refusesAHugeFileBeforeParsingIt() {
    byte[] huge = new byte[AppJson.MAX_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThatThrownBy(() -> AppJson.parse(huge))
        .isInstanceOf(AppJsonException.class)
        .hasMessage("app.json is larger than the 65,536 bytes an app.json may have");
  }
}
