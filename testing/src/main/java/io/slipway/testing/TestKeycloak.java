package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Keycloak that {@code ./slipway test} starts for the test run, with the repository's
 * {@code slipway} realm. Tests create their own users through the admin API and obtain tokens the
 * way users and services do: users by signing in on Keycloak's login page (authorization code with
 * PKCE, through the portal client), services by client credentials.
 */
public final class TestKeycloak {

  public static final String REALM = PlatformWiring.platform().get("keycloak.realm");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LOGIN_FORM =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
  private static final Pattern CONSENT_FORM =
      Pattern.compile("<form[^>]*action=\"([^\"]*login-actions/consent[^\"]*)\"");
  private static final Pattern CONSENT_CODE =
      Pattern.compile("<input type=\"hidden\" name=\"code\" value=\"([^\"]+)\"");

  private TestKeycloak() {}

  /** Keycloak's base URL, e.g. {@code http://127.0.0.1:18180}. */
  public static String url() {
    return env("SLIPWAY_TEST_KEYCLOAK_URL");
  }

  public static String issuer() {
    return url() + "/realms/" + REALM;
  }

  /** The portal URL registered as the portal client's redirect target for the test run. */
  public static String portalUrl() {
    return "http://127.0.0.1:" + portalPort();
  }

  /** The tests' portal's port (config/platform.env: {@code test-portal.port}). */
  public static int portalPort() {
    return PlatformWiring.platform().port("test-portal");
  }

  public static String portalClientSecret() {
    return serviceClientSecret("portal");
  }

  /**
   * The test run's secret of a service's Keycloak client (the client is named as the service): the
   * {@code SLIPWAY_TEST_*} form of the variable config/platform.env gives the service it in.
   */
  public static String serviceClientSecret(String client) {
    return PlatformWiring.platform()
        .clientSecret(client)
        .map(secret -> env(PlatformWiring.testVariable(secret.variable())))
        .orElseThrow(() -> new IllegalArgumentException("no such service client: " + client));
  }

  /**
   * Whether a user of a copy of {@code realmJson} (the realm file as it is in the repository),
   * imported under a fresh name and removed again, can get a token with the password grant of
   * {@code client}: the token endpoint's status ({@code 200} when it can).
   */
  public static int passwordGrantStatusInCopyOf(String realmJson, String client) {
    String admin = adminToken();
    String name = "slipway-copy-" + Long.toHexString(new SecureRandom().nextLong());
    Map<String, Object> realm =
        JSON.readValue(realmJson, new tools.jackson.core.type.TypeReference<>() {});
    realm.put("realm", name);
    realm.remove("users");
    HttpResponse<String> imported = send(admin, "POST", "/admin/realms", realm);
    if (imported.statusCode() != 201) {
      throw new IllegalStateException("could not import the realm copy: " + imported.body());
    }
    try {
      String password = "pw-" + Long.toHexString(new SecureRandom().nextLong());
      Map<String, Object> user =
          Map.of(
              "username", "probe",
              "enabled", true,
              "email", "probe@example.test",
              "emailVerified", true,
              "firstName", "Probe",
              "lastName", "Test",
              "credentials",
                  List.of(Map.of("type", "password", "value", password, "temporary", false)));
      HttpResponse<String> created = send(admin, "POST", "/admin/realms/" + name + "/users", user);
      if (created.statusCode() != 201) {
        throw new IllegalStateException("could not create the probe user: " + created.body());
      }
      return post(
              url() + "/realms/" + name + "/protocol/openid-connect/token",
              form(
                  Map.of(
                      "grant_type",
                      "password",
                      "client_id",
                      client,
                      "username",
                      "probe",
                      "password",
                      password)),
              null)
          .statusCode();
    } finally {
      send(admin, "DELETE", "/admin/realms/" + name, null);
    }
  }

  /** Creates a user with a password and the given realm roles; returns the password. */
  public static String createUser(String username, String... realmRoles) {
    String password = "pw-" + Long.toHexString(new SecureRandom().nextLong());
    String admin = adminToken();
    Map<String, Object> user =
        Map.of(
            "username",
            username,
            "enabled",
            true,
            "email",
            username + "@example.test",
            "emailVerified",
            true,
            "firstName",
            username,
            "lastName",
            "Test",
            "credentials",
            List.of(Map.of("type", "password", "value", password, "temporary", false)));
    HttpResponse<String> created = send(admin, "POST", "/admin/realms/" + REALM + "/users", user);
    if (created.statusCode() != 201) {
      throw new IllegalStateException("could not create user " + username + ": " + created.body());
    }
    if (realmRoles.length > 0) {
      String id = location(created).replaceAll(".*/", "");
      List<JsonNode> roles =
          java.util.Arrays.stream(realmRoles)
              .map(
                  role ->
                      json(send(admin, "GET", "/admin/realms/" + REALM + "/roles/" + role, null)))
              .toList();
      send(
          admin, "POST", "/admin/realms/" + REALM + "/users/" + id + "/role-mappings/realm", roles);
    }
    return password;
  }

  /**
   * Signs in on Keycloak's login page in {@code session}, starting from {@code startUrl} (a portal
   * page or an authorization URL), and returns the response that Keycloak redirects back with.
   */
  public static HttpResponse<String> signIn(
      HttpSession session, HttpResponse<String> loginPage, String username, String password) {
    Matcher form = LOGIN_FORM.matcher(loginPage.body());
    if (!form.find()) {
      throw new IllegalStateException("not Keycloak's login page: " + loginPage.uri());
    }
    String action = form.group(1).replace("&amp;", "&");
    return session.postForm(
        action, Map.of("username", username, "password", password, "credentialId", ""));
  }

  /**
   * What a person does in a browser to answer a device login (RFC 8628): opens the complete
   * verification URL a CLI printed, signs in, and accepts (or, with {@code grant} false, cancels)
   * Keycloak's consent page, which the device grant always shows. Returns the page Keycloak ends
   * on.
   */
  public static String approveDevice(
      String verificationUriComplete, String username, String password, boolean grant) {
    HttpSession browser = new HttpSession();
    HttpResponse<String> page = browser.follow(browser.get(verificationUriComplete));
    page = browser.follow(signIn(browser, page, username, password));
    Matcher form = CONSENT_FORM.matcher(page.body());
    Matcher code = CONSENT_CODE.matcher(page.body());
    if (!form.find() || !code.find()) {
      throw new IllegalStateException("not Keycloak's consent page: " + page.body());
    }
    String action = page.uri().resolve(form.group(1).replace("&amp;", "&")).toString();
    return browser
        .follow(
            browser.postForm(
                action, Map.of("code", code.group(1), grant ? "accept" : "cancel", "")))
        .body();
  }

  /**
   * A user's access token, obtained as the portal obtains it: the authorization code flow with PKCE
   * through the login page, then the code exchanged at the token endpoint.
   */
  public static String userToken(String username, String password) {
    return userToken(issuer(), portalUrl(), portalClientSecret(), username, password);
  }

  /**
   * The same, from another Keycloak with this realm: the one at {@code issuer}, whose portal client
   * has the secret {@code portalClientSecret} and redirects to {@code portalUrl} (a platform that
   * {@code ./slipway up} started, for one).
   */
  public static String userToken(
      String issuer,
      String portalUrl,
      String portalClientSecret,
      String username,
      String password) {
    String verifier = random();
    String state = random();
    String redirect = portalUrl + "/login/oauth2/code/keycloak";
    String authorize =
        issuer
            + "/protocol/openid-connect/auth?"
            + form(
                Map.of(
                    "response_type", "code",
                    "client_id", "portal",
                    "scope", "openid",
                    "redirect_uri", redirect,
                    "state", state,
                    "code_challenge", challenge(verifier),
                    "code_challenge_method", "S256"));
    HttpSession session = new HttpSession();
    HttpResponse<String> back = signIn(session, session.get(authorize), username, password);
    String location = HttpSession.location(back);
    if (!location.startsWith(redirect)) {
      throw new IllegalStateException("sign-in failed for " + username + ": " + back.body());
    }
    String code = query(URI.create(location)).get("code");
    return token(
        issuer,
        Map.of(
            "grant_type",
            "authorization_code",
            "code",
            code,
            "redirect_uri",
            redirect,
            "code_verifier",
            verifier,
            "client_id",
            "portal",
            "client_secret",
            portalClientSecret));
  }

  /**
   * Makes sure the realm has the client {@code clientId} as {@code realmFile} (the repository's
   * {@code keycloak/slipway-realm.json}) defines it: a Keycloak imported the realm on its first
   * start, so one started before the client was added to the file gets it here. Does nothing when
   * the client exists.
   */
  public static void ensureClient(String clientId, java.nio.file.Path realmFile) {
    String admin = adminToken();
    String path = "/admin/realms/" + REALM + "/clients";
    HttpResponse<String> found =
        send(
            admin,
            "GET",
            path + "?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8),
            null);
    if (json(found).size() > 0) {
      return;
    }
    JsonNode client = null;
    try {
      for (JsonNode candidate :
          JSON.readTree(java.nio.file.Files.readString(realmFile)).path("clients")) {
        if (candidate.path("clientId").asString().equals(clientId)) {
          client = candidate;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (client == null) {
      throw new IllegalArgumentException("no client " + clientId + " in " + realmFile);
    }
    HttpResponse<String> created = send(admin, "POST", path, client);
    if (created.statusCode() != 201 && created.statusCode() != 409) {
      throw new IllegalStateException(
          "could not create client " + clientId + ": " + created.body());
    }
  }

  /** A service's access token by client credentials. */
  public static String serviceToken(String client) {
    return token(
        Map.of(
            "grant_type",
            "client_credentials",
            "client_id",
            client,
            "client_secret",
            serviceClientSecret(client)));
  }

  /**
   * A real token whose payload was edited after signing (the subject renamed): its signature no
   * longer matches.
   */
  public static String tampered(String token) {
    String[] parts = token.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"preferred_username\":\"", "\"preferred_username\":\"x");
    return parts[0]
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  /** A genuine token from the same Keycloak but another realm (master): the wrong issuer. */
  public static String otherRealmToken() {
    return adminToken();
  }

  private static String token(Map<String, String> fields) {
    return token(issuer(), fields);
  }

  private static String token(String issuer, Map<String, String> fields) {
    HttpResponse<String> response =
        post(issuer + "/protocol/openid-connect/token", form(fields), null);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("token request refused: " + response.body());
    }
    return json(response).path("access_token").asString();
  }

  private static String adminToken() {
    HttpResponse<String> response =
        post(
            url() + "/realms/master/protocol/openid-connect/token",
            form(
                Map.of(
                    "grant_type", "password",
                    "client_id", "admin-cli",
                    "username", "admin",
                    "password", env("SLIPWAY_TEST_KEYCLOAK_ADMIN_PASSWORD"))),
            null);
    return json(response).path("access_token").asString();
  }

  private static HttpResponse<String> send(String token, String method, String path, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? BodyPublishers.noBody()
                    : BodyPublishers.ofString(JSON.writeValueAsString(body)));
    return exchange(request);
  }

  private static HttpResponse<String> post(String url, String form, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString(form));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return exchange(request);
  }

  private static HttpResponse<String> exchange(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private static String location(HttpResponse<String> response) {
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** The query parameters of a URI (single-valued, decoded). */
  public static Map<String, String> query(URI uri) {
    return java.util.Arrays.stream(uri.getRawQuery().split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(
            Collectors.toMap(
                pair -> pair[0],
                pair ->
                    pair.length < 2
                        ? ""
                        : java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8),
                (a, b) -> a));
  }

  private static String random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name
              + " is not set: tests that need Keycloak run under ./slipway test, which starts it"
              + " and sets the SLIPWAY_TEST_* variables");
    }
    return value;
  }
}
