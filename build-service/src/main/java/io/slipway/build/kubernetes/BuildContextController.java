package io.slipway.build.kubernetes;

import io.slipway.build.git.CommitArchive;
import io.slipway.kit.problem.Problem;
import io.swagger.v3.oas.annotations.Hidden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /internal/build-context/{token}}: a build pod's context, the gzipped tar of the commit
 * its token was issued for. No other credential: the token is the capability (docs/security.md). An
 * unknown, expired or used token is the same 404, so nothing tells them apart.
 */
// not part of the API document: no script calls it, and it takes none of the API's credentials
@Hidden
@RestController
class BuildContextController {

  private static final Logger log = LoggerFactory.getLogger(BuildContextController.class);

  private final BuildContexts contexts;

  BuildContextController(BuildContexts contexts) {
    this.contexts = contexts;
  }

  @GetMapping(BuildContexts.PATH + "{token}")
  ResponseEntity<StreamingResponseBody> context(@PathVariable String token) {
    BuildContexts.Pinned pinned =
        contexts.consume(token).orElseThrow(() -> Problem.notFound("No such build context."));
    log.info("Build {} fetched the context of {}", pinned.buildId(), pinned.commitId());
    StreamingResponseBody body =
        out -> CommitArchive.writeTarGz(contexts.repositoryOf(pinned), pinned.commitId(), out);
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_TYPE, "application/gzip")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(body);
  }
}
