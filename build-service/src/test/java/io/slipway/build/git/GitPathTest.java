package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.queue.AppRef;
import org.junit.jupiter.api.Test;

class GitPathTest {

  @Test
  void parsesTheAppAndWhetherItIsAPush() {
    assertThat(GitPath.parse("/acme/web/site.git/info/refs", "service=git-receive-pack"))
        .contains(new GitPath(new AppRef("acme", "web", "site"), true, null));
    assertThat(GitPath.parse("/acme/web/site.git/git-receive-pack", null))
        .contains(new GitPath(new AppRef("acme", "web", "site"), true, null));
    assertThat(GitPath.parse("/acme/web/site.git/info/refs", "service=git-upload-pack"))
        .contains(new GitPath(new AppRef("acme", "web", "site"), false, null));
    assertThat(GitPath.parse("/acme/web/site.git/git-upload-pack", null))
        .contains(new GitPath(new AppRef("acme", "web", "site"), false, null));
  }

  @Test
  void refusesAnythingElse() {
    for (String path :
        new String[] {
          "/acme/web.git/info/refs",
          "/acme/web/site/info/refs",
          "/Acme/web/site.git/info/refs",
          "/acme/../site.git/info/refs",
          "/acme/web/-site.git/info/refs",
          "/a/b/c/d.git/info/refs"
        }) {
      assertThat(GitPath.parse(path, null)).as(path).isEmpty();
    }
    assertThat(GitPath.parse(null, null)).isEmpty();
  }
}
