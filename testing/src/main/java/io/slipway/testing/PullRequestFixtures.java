package io.slipway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The pull and merge request payloads of GitHub, GitLab and Gitea (resources {@code webhooks/}),
 * shared by build-service's webhook tests and the whole-platform ones, with the action, number,
 * head commit and head repository filled in: the base repository is {@code acme/shop} (id 1000); a
 * fork's head is {@code mallory/shop} (id 2000), whose clone URL no test may ever fetch.
 */
public final class PullRequestFixtures {

  private PullRequestFixtures() {}

  public static String github(String action, int number, String head, boolean fork) {
    return fill("github-pull-request.json", action, number, head, fork, null);
  }

  public static String gitea(String action, int number, String head, boolean fork) {
    return fill("gitea-pull-request.json", action, number, head, fork, null);
  }

  /** A merge request event; {@code oldrev} (the head before an update) is left out when null. */
  public static String gitlab(String action, int number, String head, boolean fork, String oldrev) {
    return fill("gitlab-merge-request.json", action, number, head, fork, oldrev);
  }

  private static String fill(
      String file, String action, int number, String head, boolean fork, String oldrev) {
    return read(file)
        .replace("${ACTION}", action)
        .replace("${NUMBER}", Integer.toString(number))
        .replace("${HEAD}", head)
        .replace("${HEAD_OWNER}", fork ? "mallory" : "acme")
        .replace("${HEAD_REPO_ID}", fork ? "2000" : "1000")
        .replace("${HEAD_FORK}", Boolean.toString(fork))
        .replace("${OLDREV}", oldrev == null ? "" : "\"oldrev\": \"" + oldrev + "\",");
  }

  private static String read(String file) {
    try (InputStream in = PullRequestFixtures.class.getResourceAsStream("/webhooks/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
