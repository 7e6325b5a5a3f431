package io.slipway.build.registry;

import io.slipway.kit.security.BasicCredentials;
import jakarta.servlet.http.HttpServletRequest;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The registry's token realm ({@code GET /v2/token}, the distribution token spec): HTTP Basic
 * credentials of a robot account, of build-service itself, of one build's pod or of one project's
 * pull Secret in, a short-lived JWT granting what was asked and is allowed out. Wrong or unknown
 * credentials get the same 401 whether the robot exists or not.
 */
@RestController
@ConditionalOnProperty(name = "slipway.build.registry.auth.enabled", havingValue = "true")
class RegistryTokenController {

  /** The spec's answer; {@code access_token} repeats {@code token} for OAuth2 clients. */
  record TokenAnswer(String token, String access_token, long expires_in, String issued_at) {}

  private final TokenSigner signer;
  private final RegistryRobots robots;
  private final BuildPushCredentials buildCredentials;
  private final RegistryPullCredentials pullCredentials;
  private final RegistryAuthProperties properties;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final byte[] platformHash;

  RegistryTokenController(
      TokenSigner signer,
      RegistryRobots robots,
      BuildPushCredentials buildCredentials,
      RegistryPullCredentials pullCredentials,
      RegistryAuthProperties properties,
      JdbcClient jdbc) {
    this.signer = signer;
    this.robots = robots;
    this.buildCredentials = buildCredentials;
    this.pullCredentials = pullCredentials;
    this.properties = properties;
    this.jdbc = jdbc;
    this.clock = Clock.systemUTC();
    this.platformHash = RegistryRobots.sha256(properties.platformPassword());
  }

  @GetMapping("/v2/token")
  ResponseEntity<?> token(
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      HttpServletRequest request) {
    // read raw: a bound List<String> would split "repository:x:pull,push" at its comma
    String[] scope = request.getParameterValues("scope");
    Optional<RegistryCaller> caller = authenticate(authorization);
    if (caller.isEmpty()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"slipway registry\"")
          .build();
    }
    List<RepositoryScope> granted =
        RegistryGrants.granted(
            caller.get(),
            RepositoryScope.parse(scope == null ? List.of() : List.of(scope)),
            this::building);
    TokenSigner.Issued issued = signer.sign(caller.get().subject(), granted, clock.instant());
    return ResponseEntity.ok()
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(
            new TokenAnswer(
                issued.token(),
                issued.token(),
                issued.expiresIn().toSeconds(),
                issued.issuedAt().toString()));
  }

  private Optional<RegistryCaller> authenticate(String authorization) {
    Optional<BasicCredentials> credentials = BasicCredentials.parse(authorization);
    if (credentials.isEmpty()) {
      return Optional.empty();
    }
    String username = credentials.get().username();
    String password = credentials.get().password();
    if (username.equals(properties.platformUsername())) {
      return MessageDigest.isEqual(RegistryRobots.sha256(password), platformHash)
          ? Optional.of(new RegistryCaller.Platform(username))
          : Optional.empty();
    }
    if (username.startsWith(BuildPushCredentials.PREFIX)) {
      return buildCredentials.verify(username, password);
    }
    if (username.startsWith(RegistryPullCredentials.PREFIX)) {
      return pullCredentials.verify(username, password);
    }
    int plus = username.indexOf('+');
    if (plus < 0) {
      return Optional.empty();
    }
    return robots
        .verify(username.substring(0, plus), username.substring(plus + 1), password)
        .map(
            robot ->
                new RegistryCaller.Robot(
                    username,
                    robot.tenantId(),
                    robot.access().equals("read-write") ? Set.of("pull", "push") : Set.of("pull")));
  }

  /** Whether a build of the repository {@code <tenant id>/<project id>/<app id>} runs now. */
  private boolean building(String repository) {
    String[] ids = repository.split("/");
    return jdbc.sql(
            "select exists (select 1 from build where status = 'running'"
                + " and tenant_id = ? and project_id = ? and app_id = ?)")
        .params(ids[0], ids[1], ids[2])
        .query(Boolean.class)
        .single();
  }
}
