package io.slipway.cli.auth;

/**
 * What {@code login} stored: either a session from the identity provider ({@code kind} {@code
 * oidc}: access and refresh token, the access token's expiry in epoch seconds) or a token given
 * with {@code --token} ({@code kind} {@code token}: a personal access token or an access token,
 * used as it is). {@code gitToken} is the personal access token with scope {@code git} that {@code
 * push} made for git's credential helper.
 */
public record Credentials(
    String kind,
    String username,
    String accessToken,
    String refreshToken,
    long expiresAt,
    String gitToken) {

  public static final String FILE = "credentials.json";

  public boolean oidc() {
    return "oidc".equals(kind);
  }

  public Credentials withTokens(String access, String refresh, long expires) {
    return new Credentials(kind, username, access, refresh, expires, gitToken);
  }

  public Credentials withGitToken(String token) {
    return new Credentials(kind, username, accessToken, refreshToken, expiresAt, token);
  }
}
