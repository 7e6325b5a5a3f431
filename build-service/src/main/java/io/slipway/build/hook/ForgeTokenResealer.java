package io.slipway.build.hook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * After a rotation of {@code slipway.build.secret-key}, moves every forge token still sealed under
 * a previous key to the current one, at start: the old key can then be removed without losing a
 * token. A token is only replaced if it is still the value that was read (a developer's new one set
 * meanwhile wins); one that no configured key opens is left and named, to be set again.
 */
@Component
class ForgeTokenResealer {

  private static final Logger log = LoggerFactory.getLogger(ForgeTokenResealer.class);

  private record Sealed(String tenant, String project, String app, String appId, String token) {}

  private final JdbcClient jdbc;
  private final ForgeTokens tokens;

  ForgeTokenResealer(JdbcClient jdbc, ForgeTokens tokens) {
    this.jdbc = jdbc;
    this.tokens = tokens;
  }

  @EventListener(ApplicationReadyEvent.class)
  void atStart() {
    try {
      reseal();
    } catch (RuntimeException e) {
      log.warn("Re-sealing the forge tokens failed; the next start tries again: {}", e.toString());
    }
  }

  /** Re-seals what is under another key; returns how many tokens it moved. */
  int reseal() {
    int moved = 0;
    for (Sealed row :
        jdbc.sql("select tenant, project, app, app_id, token_sealed from commit_status_setting")
            .query(
                (r, n) ->
                    new Sealed(
                        r.getString("tenant"),
                        r.getString("project"),
                        r.getString("app"),
                        r.getString("app_id"),
                        r.getString("token_sealed")))
            .list()) {
      if (!tokens.underAnotherKey(row.token())) {
        continue;
      }
      var token = tokens.open(row.token(), row.appId());
      if (token.isEmpty()) {
        log.warn(
            "The commit status token of {}/{}/{} opens under no configured key: set it again",
            row.tenant(),
            row.project(),
            row.app());
        continue;
      }
      moved +=
          jdbc.sql(
                  """
                  update commit_status_setting set token_sealed = :new
                   where tenant = :t and project = :p and app = :a and token_sealed = :old
                  """)
              .param("new", tokens.seal(token.get(), row.appId()))
              .param("t", row.tenant())
              .param("p", row.project())
              .param("a", row.app())
              .param("old", row.token())
              .update();
    }
    if (moved > 0) {
      log.info("Re-sealed {} forge tokens of commit status under the current key", moved);
    }
    return moved;
  }
}
