package io.slipway.build.hook;

import io.slipway.kit.problem.Problem;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The forges commit status is posted to, and how each is asked: GitHub {@code POST
 * {api}/repos/{owner}/{repo}/statuses/{sha}} ({@code Authorization: Bearer}), Gitea and Forgejo the
 * same path and body ({@code Authorization: token}), GitLab {@code POST {api}/projects/{url-encoded
 * path}/statuses/{sha}} ({@code PRIVATE-TOKEN}, {@code name} for the context and {@code failed} for
 * failure). The repository is read from the app's own {@code sourceRef}, never from a webhook
 * payload.
 */
enum Forge {
  GITHUB,
  GITLAB,
  GITEA;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A status: the commit, its state ({@code pending}, {@code success} or {@code failure}). */
  record Status(
      String commit, String state, String context, String targetUrl, String description) {}

  /** One request to send: where, with which headers, and its JSON body. */
  record Request(URI uri, Map<String, String> headers, byte[] body) {

    @Override
    public String toString() {
      // the headers hold the token
      return "POST " + uri;
    }
  }

  static Forge of(String value) {
    return Arrays.stream(values())
        .filter(forge -> forge.value().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                Problem.badRequest(
                    "bad-forge", "forge must be one of github, gitlab or gitea, not " + value));
  }

  String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  Request request(URI apiUrl, String sourceRef, String token, Status status) {
    String target = target(sourceRef);
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> body = new LinkedHashMap<>();
    if (this == GITLAB) {
      headers.put("PRIVATE-TOKEN", token);
      body.put("state", status.state().equals("failure") ? "failed" : status.state());
      body.put("name", status.context());
    } else {
      headers.put("Authorization", (this == GITHUB ? "Bearer " : "token ") + token);
      if (this == GITHUB) {
        headers.put("Accept", "application/vnd.github+json");
      }
      body.put("state", status.state());
      body.put("context", status.context());
    }
    body.put("target_url", status.targetUrl());
    body.put("description", status.description());
    headers.put("Content-Type", "application/json");
    return new Request(
        URI.create(apiUrl + target + "/statuses/" + encode(status.commit())),
        headers,
        JSON.writeValueAsBytes(body));
  }

  /**
   * The repository's part of the API path ({@code /repos/<owner>/<repo>}, GitLab's {@code
   * /projects/<url-encoded path>}), from the app's clone URL.
   *
   * @throws IllegalArgumentException when the clone URL names no repository this forge can take
   */
  String target(String sourceRef) {
    String path = repositoryPath(sourceRef);
    if (this == GITLAB) {
      return "/projects/" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }
    List<String> segments = List.of(path.split("/"));
    if (segments.size() < 2) {
      throw new IllegalArgumentException(
          "the app's sourceRef names no owner/repository: " + sourceRef);
    }
    return "/repos/"
        + encode(segments.get(segments.size() - 2))
        + "/"
        + encode(segments.get(segments.size() - 1));
  }

  /**
   * The repository's path on its forge, from the clone URL: {@code owner/repo} of {@code
   * https://github.com/owner/repo.git}, {@code group/sub/project} of a GitLab URL.
   */
  static String repositoryPath(String sourceRef) {
    String path = URI.create(sourceRef).getPath();
    if (path == null) {
      throw new IllegalArgumentException("the app's sourceRef has no path: " + sourceRef);
    }
    path = path.replaceAll("^/+|/+$", "");
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - ".git".length());
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("the app's sourceRef has no path: " + sourceRef);
    }
    return path;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
