package io.slipway.bench;

import io.slipway.testing.GitCli;
import io.slipway.testing.PullRequestFixtures;
import io.slipway.testing.SignedDeliveries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The forge an external-git app builds from (GitHub or GitLab, as build-service sees it): a local
 * bare repository holding the deploy branch and each pull request's head under the ref the forge
 * keeps it at, and the signed webhook deliveries the forge sends to the app's hook URL.
 */
final class Forge {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What a delivery was answered: the status and the body as JSON. */
  record Answer(int status, JsonNode body) {
    Answer expect(int expected) {
      if (status != expected) {
        throw new AssertionError("expected " + expected + " but was " + status + ": " + body);
      }
      return this;
    }
  }

  private final GitCli git;
  private final Sample sample;
  private final Path bare;
  private final Path checkout;
  private String hookUrl;
  private String secret;

  private Forge(GitCli git, Sample sample, Path bare, Path checkout) {
    this.git = git;
    this.sample = sample;
    this.bare = bare;
    this.checkout = checkout;
  }

  /**
   * A new repository on the forge holding {@code sample} on its main branch, with a working tree of
   * {@code deployer}'s to commit from.
   */
  static Forge of(Deployer deployer, GitCli git, Path work, Sample sample) {
    Path checkout = deployer.repositoryOf(sample.directory());
    Path bare = work.resolve("forge-" + UUID.randomUUID().toString().substring(0, 8) + ".git");
    git.ok(work, "init", "-q", "--bare", "-b", "main", bare.toString());
    git.ok(checkout, "add", "-A");
    git.ok(checkout, "commit", "-q", "-m", "first");
    git.ok(checkout, "push", "-q", bare.toString(), "main");
    return new Forge(git, sample, bare, checkout);
  }

  /** The working tree commits are made in; its HEAD is the last commit made. */
  Path checkout() {
    return checkout;
  }

  /** The clone URL to give the app as its {@code sourceRef}. */
  String sourceRef() {
    return bare.toUri().toString();
  }

  /** Where the forge sends its deliveries, and the secret it signs them with. */
  void connect(String hookUrl, String secret) {
    this.hookUrl = hookUrl;
    this.secret = secret;
  }

  /** Commits the sample's page showing {@code text} on main and pushes it; returns the commit. */
  String pushMain(String text) {
    git.ok(checkout, "checkout", "-q", "main");
    return commitAndPush(text, "refs/heads/main");
  }

  /**
   * Commits the sample's page showing {@code text} on pull request {@code number}'s branch (made
   * from main when new) and moves the forge's {@code ref} for it ({@code refs/pull/7/head}) there;
   * returns the commit.
   */
  String pullRequestHead(int number, String ref, String text) {
    String branch = "pr-" + number;
    if (git.ok(checkout, "branch", "--list", branch).isBlank()) {
      git.ok(checkout, "checkout", "-q", "-b", branch, "main");
    } else {
      git.ok(checkout, "checkout", "-q", branch);
    }
    return commitAndPush(text, ref);
  }

  private String commitAndPush(String text, String ref) {
    sample.change(checkout, text);
    git.ok(checkout, "commit", "-q", "-am", text);
    git.ok(checkout, "push", "-q", "-f", bare.toString(), "HEAD:" + ref);
    return git.ok(checkout, "rev-parse", "HEAD");
  }

  /** GitHub's push event for main at {@code commit}. */
  Answer githubPush(String commit) {
    return deliver(
        SignedDeliveries.github(
            "push", SignedDeliveries.push("refs/heads/main", commit), secret, newDelivery()));
  }

  /** GitHub's {@code pull_request} event ({@code opened}, {@code synchronize}, {@code closed}). */
  Answer githubPullRequest(String action, int number, String head) {
    return deliver(
        SignedDeliveries.github(
            "pull_request",
            PullRequestFixtures.github(action, number, head, false),
            secret,
            newDelivery()));
  }

  /** GitLab's merge request event ({@code open}, {@code close}, {@code merge}). */
  Answer gitlabMergeRequest(String action, int number, String head) {
    return deliver(
        SignedDeliveries.gitlab(
            "Merge Request Hook",
            PullRequestFixtures.gitlab(action, number, head, false, null),
            secret,
            newDelivery()));
  }

  private static String newDelivery() {
    return UUID.randomUUID().toString();
  }

  private Answer deliver(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.uri(URI.create(hookUrl)).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
