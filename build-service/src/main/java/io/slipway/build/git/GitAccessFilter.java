package io.slipway.build.git;

import io.slipway.build.tenant.TenantClient;
import io.slipway.kit.security.BasicCredentials;
import io.slipway.kit.tenant.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates and authorizes every git request before JGit sees it: HTTP Basic with a personal
 * access token (scope {@code git}) as the password, verified by tenant-service; the pusher's role
 * from tenant-service. Developers and above push, viewers fetch, and everyone else is told the
 * repository does not exist, exactly as for an unknown app. Refusals are {@code text/plain}, which
 * git shows to the user prefixed with {@code remote:}.
 */
final class GitAccessFilter extends OncePerRequestFilter {

  static final String PATH = GitAccessFilter.class.getName() + ".path";
  static final String USER = GitAccessFilter.class.getName() + ".user";
  static final String RESPONSE = GitAccessFilter.class.getName() + ".response";

  private static final Logger log = LoggerFactory.getLogger(GitAccessFilter.class);
  private static final String NOT_FOUND = "repository not found";

  private static final Executor ASK = Executors.newVirtualThreadPerTaskExecutor();

  private final TenantClient tenants;
  private final long maxPushSize;

  GitAccessFilter(TenantClient tenants, long maxPushSize) {
    this.tenants = tenants;
    this.maxPushSize = maxPushSize;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<GitPath> parsed = GitPath.parse(request.getPathInfo(), request.getQueryString());
    if (parsed.isEmpty()) {
      refuse(response, HttpServletResponse.SC_NOT_FOUND, NOT_FOUND);
      return;
    }
    GitPath path = parsed.get();
    Optional<String> token =
        BasicCredentials.parse(request.getHeader("Authorization"))
            .map(BasicCredentials::password)
            .filter(password -> !password.isEmpty());
    if (token.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"Slipway git\", charset=\"UTF-8\"");
      refuse(
          response,
          HttpServletResponse.SC_UNAUTHORIZED,
          "authentication required: use a personal access token with scope git as the password");
      return;
    }
    // whether the app exists is asked meanwhile, and only told once the caller may know
    CompletableFuture<Optional<TenantClient.CatalogApp>> app =
        CompletableFuture.supplyAsync(
            () -> tenants.app(path.app().tenant(), path.app().project(), path.app().app()), ASK);
    Optional<TenantClient.GitCaller> caller =
        tenants.verifyGitToken(token.get(), path.app().tenant());
    if (caller.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"Slipway git\", charset=\"UTF-8\"");
      refuse(
          response,
          HttpServletResponse.SC_UNAUTHORIZED,
          "invalid access token: it is unknown, revoked, expired or lacks the git scope");
      return;
    }
    String user = caller.get().username();
    Optional<Role> role = caller.get().role();
    Optional<TenantClient.CatalogApp> catalog = role.isEmpty() ? Optional.empty() : answer(app);
    if (catalog.isEmpty()) {
      refuse(response, HttpServletResponse.SC_NOT_FOUND, NOT_FOUND);
      return;
    }
    if (catalog.get().preview()) {
      refuse(
          response,
          HttpServletResponse.SC_NOT_FOUND,
          "a preview has no repository of its own: push to the branch preview/<name> of "
              + path.app().tenant()
              + "/"
              + path.app().project()
              + "/"
              + catalog.get().parent()
              + ".git");
      return;
    }
    if (path.push() && !role.get().atLeast(Role.DEVELOPER)) {
      log.info("Refused a push to {} by {} ({})", path.app(), user, role.get().value());
      refuse(
          response,
          HttpServletResponse.SC_FORBIDDEN,
          "push refused: "
              + user
              + " is a "
              + role.get().value()
              + " in tenant "
              + path.app().tenant()
              + "; pushing needs developer or tenant-admin");
      return;
    }
    request.setAttribute(PATH, path.withIds(catalog.get().ids()));
    request.setAttribute(USER, user);
    if (path.push()) {
      WatchedResponse watched = new WatchedResponse(response);
      request.setAttribute(RESPONSE, watched);
      chain.doFilter(new PushSizeLimit(request, maxPushSize), watched);
      return;
    }
    chain.doFilter(request, response);
  }

  private static <T> T answer(CompletableFuture<T> question) {
    try {
      return question.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static void refuse(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().println(message);
  }
}
