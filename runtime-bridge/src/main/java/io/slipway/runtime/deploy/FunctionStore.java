package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each function app's invocation timeout, on the app's row (migration V90), so every replica sees
 * the same and a deleted app takes it with it.
 */
@Repository
class FunctionStore {

  private final JdbcClient jdbc;

  FunctionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The app's timeout in seconds: its own, else the default. */
  int timeoutSeconds(AppRef ref) {
    return jdbc.sql("select function_timeout_seconds from app where app_id = ?")
        .param(ref.appId())
        .query((rs, row) -> (Integer) rs.getObject(1))
        .optional()
        .flatMap(Optional::ofNullable)
        .orElse(FunctionSetting.DEFAULT_TIMEOUT);
  }

  /** Sets the app's timeout; null goes back to the default. */
  void set(AppRef ref, Integer timeoutSeconds) {
    jdbc.sql("update app set function_timeout_seconds = ? where app_id = ?")
        .params(timeoutSeconds, ref.appId())
        .update();
  }
}
