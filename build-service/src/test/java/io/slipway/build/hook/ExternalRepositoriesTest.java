package io.slipway.build.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;

/** Source URLs are checked before JGit sees them. */
class ExternalRepositoriesTest {

  private static final List<String> SCHEMES = List.of("https", "file");

  @Test
  void acceptsPlainRepositoryUrls() {
    assertThatCode(
            () -> ExternalRepositories.checkUrl("https://git.example.com/acme/web.git", SCHEMES))
        .doesNotThrowAnyException();
    assertThatCode(() -> ExternalRepositories.checkUrl("file:///srv/git/web.git", SCHEMES))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "web.git",
        "/srv/git/web.git",
        "ssh://git@example.com/web.git",
        "https:///no-host.git",
        "https://user:password@example.com/web.git",
        "https://example.com/web.git\nHost: evil",
        "https://example.com/we b.git",
        "https://example.com/web\u0000.git",
        "ext::sh -c touch% /tmp/pwned",
        "-uhttps://example.com/web.git"
      })
  void refusesEverythingElseWithA422ThatNamesNoCredentials(String url) {
    assertThatThrownBy(() -> ExternalRepositories.checkUrl(url, SCHEMES))
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
              assertThat(p.getMessage()).doesNotContain("password");
            });
  }

  @Test
  void refusesOverlongUrls() {
    String url = "https://example.com/" + "a".repeat(600) + ".git";
    assertThatThrownBy(() -> ExternalRepositories.checkUrl(url, SCHEMES))
        .isInstanceOf(Problem.class);
  }
}
