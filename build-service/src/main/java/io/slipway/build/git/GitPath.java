package io.slipway.build.git;

import io.slipway.build.queue.AppRef;
import io.slipway.build.tenant.AppIds;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app a git URL addresses, parsed from the path below {@code /git}: {@code
 * /<tenant>/<project>/<app>.git[/...]}, each name a DNS-1123 label as tenant-service requires.
 *
 * @param app the app
 * @param push whether the request belongs to a push (git-receive-pack) rather than a fetch
 * @param ids the app's ids, once {@link GitAccessFilter} has looked them up (null before)
 */
record GitPath(AppRef app, boolean push, AppIds ids) {

  /** The same path, of the app with these ids. */
  GitPath withIds(AppIds ids) {
    return new GitPath(app, push, ids);
  }

  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern PATH =
      Pattern.compile("^/(" + LABEL + ")/(" + LABEL + ")/(" + LABEL + ")\\.git(/.*)?$");

  /** The repository name JGit's resolver receives, e.g. {@code acme/web/site.git}. */
  String repositoryName() {
    return app.tenant() + "/" + app.project() + "/" + app.app() + ".git";
  }

  static Optional<GitPath> parse(String pathInfo, String query) {
    if (pathInfo == null) {
      return Optional.empty();
    }
    Matcher matcher = PATH.matcher(pathInfo);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    String rest = matcher.group(4) == null ? "" : matcher.group(4);
    boolean push =
        rest.equals("/git-receive-pack")
            || (rest.equals("/info/refs")
                && query != null
                && query.contains("service=git-receive-pack"));
    return Optional.of(
        new GitPath(new AppRef(matcher.group(1), matcher.group(2), matcher.group(3)), push, null));
  }
}
