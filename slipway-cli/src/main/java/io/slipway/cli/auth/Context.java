package io.slipway.cli.auth;

/** The defaults that {@code slipway-cli use tenant/project[/app]} stored. */
public record Context(String tenant, String project, String app) {
  public static final String FILE = "context.json";
}
