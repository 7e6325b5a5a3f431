package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each cause, from log lines as buildah 1.39 in the builder image writes them. */
class BuildFailureTest {

  private final BuildFailure failure =
      new BuildFailure(
          512,
          64,
          List.of("localhost/slipway/stacks/node:1", "localhost/slipway/stacks/python:1"),
          "builds have no network access here",
          10240);

  @Test
  void eachLimitIsNamedInPlainWordsWithTheLogsLastLines() {
    assertThat(
            failure.explain(
                1,
                List.of("STEP 2/2: RUN dd", "subprocess exited on killed", "Error: exit status 1")))
        .isEqualTo(
            "the build ran out of memory (limit 512 MiB); the log ends with:\n"
                + "STEP 2/2: RUN dd\nsubprocess exited on killed\nError: exit status 1");
    assertThat(failure.explain(2, List.of("sh: can't fork: Resource temporarily unavailable")))
        .startsWith("the build started too many processes at once (limit 64);");
    assertThat(failure.explain(1, List.of("write /x: No space left on device")))
        .startsWith(
            "the build filled the tenant's build disk (10240 MiB,"
                + " slipway.build.sandbox.store-mib), which holds its images and build cache;"
                + " they are cleared, so the next build starts without cached layers; a build"
                + " that needs more needs the platform's operator to raise that setting; the log"
                + " ends with:\nwrite /x: No space left on device");
    assertThat(failure.explain(125, List.of())).isEqualTo("buildah bud failed with exit code 125");
  }

  @Test
  void aFullDiskOutsideTheSandboxIsNotBlamedOnABuildStore() {
    BuildFailure onTheHost = new BuildFailure(512, 0, List.of(), "none", 0);
    List<String> full = List.of("write /x: no space left on device");

    assertThat(onTheHost.filledStore(full)).isFalse();
    assertThat(onTheHost.explain(1, full)).startsWith("the build ran out of disk space;");
    assertThat(failure.filledStore(full)).isTrue();
    assertThat(failure.filledStore(List.of("STEP 2/2: RUN false", "exit status 1"))).isFalse();
  }

  @Test
  void aMissingBaseImageIsNamedWithTheBasesThatExist() {
    assertThat(
            failure.explain(
                125,
                List.of(
                    "STEP 1/2: FROM localhost/nope/base:1",
                    "Error: creating build container: localhost/nope/base:1: image not known")))
        .startsWith(
            "the base image localhost/nope/base:1 does not exist here: FROM may name an image"
                + " this tenant built, by its full name, or one of the platform's:"
                + " localhost/slipway/stacks/node:1, localhost/slipway/stacks/python:1;"
                + " the log ends with:");
  }

  @Test
  void anAddOfAUrlSaysToDownloadInARunStep() {
    // what buildah 1.39 (the builder's) prints for it in the sandbox
    assertThat(
            failure.explain(
                125,
                List.of(
                    "STEP 2/2: ADD http://example.org/x.tgz /x",
                    "Error: building at STEP \"ADD http://example.org/x.tgz /x\": reading"
                        + " \"http://example.org/x.tgz\": Get \"http://example.org/x.tgz\": dial"
                        + " tcp: lookup example.org on 10.255.255.53:53: dial udp"
                        + " 10.255.255.53:53: connect: network is unreachable")))
        .startsWith(
            "the step `ADD http://example.org/x.tgz /x` fetches a URL, which buildah does itself,"
                + " outside the build's egress proxy, so it can never reach the network here;"
                + " download the file in a RUN step instead");
    // a local ADD that failed on the network in a later line is not one
    assertThat(
            failure.explain(
                1,
                List.of(
                    "Error: building at STEP \"ADD app.tgz /srv\": dial tcp: network is"
                        + " unreachable")))
        .startsWith("the step `ADD app.tgz /srv` needed the network");
  }

  @Test
  void aStepThatNeededTheNetworkSaysWhatBuildsCanReach() {
    assertThat(
            failure.explain(
                1,
                List.of(
                    "STEP 3/3: RUN [\"/bin/busybox\",\"wget\",\"-q\",\"-O-\",\"http://x.org/\"]",
                    "wget: bad address 'x.org'",
                    "subprocess exited with status 1",
                    "Error: building at STEP \"RUN /bin/busybox wget -q -O- http://x.org/\":"
                        + " exit status 1")))
        .startsWith(
            "the step `RUN /bin/busybox wget -q -O- http://x.org/` needed the network and could"
                + " not reach it: builds have no network access here;");
    assertThat(
            failure.explain(
                1,
                List.of(
                    "npm error code EAI_AGAIN",
                    "npm error request to https://registry.npmjs.org/is-number failed",
                    "Error: building at STEP \"RUN npm ci\": exit status 1")))
        .startsWith("the step `RUN npm ci` needed the network");
    assertThat(
            failure.explain(
                1,
                List.of(
                    "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None,"
                        + " status=None)) after connection broken by 'ProxyError('Cannot connect"
                        + " to proxy.', OSError('Tunnel connection failed: 403 Forbidden'))':"
                        + " /simple/left-pad/",
                    "ERROR: Could not find a version that satisfies the requirement left-pad"
                        + " (from versions: none)",
                    "Error: building at STEP \"RUN /opt/venv/bin/pip install -q -r"
                        + " /tmp/requirements.txt\": exit status 1")))
        .startsWith(
            "the step `RUN /opt/venv/bin/pip install -q -r /tmp/requirements.txt` needed the"
                + " network and could not reach it");
  }

  @Test
  void aDependencyInstallIsNamedByItsCommand() {
    assertThat(
            failure.explain(
                1,
                List.of(
                    "npm error code E404",
                    "npm error 404 Not Found - GET https://registry.npmjs.org/no-such-package",
                    "Error: building at STEP \"RUN npm ci --omit=dev\": exit status 1")))
        .startsWith(
            "the dependency install `RUN npm ci --omit=dev` failed (exit status 1); the lines"
                + " above it name the package or the error;");
    assertThat(
            failure.explain(
                1,
                List.of(
                    "ERROR: No matching distribution found for flask==99",
                    "Error: building at STEP \"RUN pip install -r requirements.txt\":"
                        + " exit status 1")))
        .startsWith("the dependency install `RUN pip install -r requirements.txt` failed");
    // the python stack's own step, pip run from the app's virtualenv
    assertThat(
            failure.explain(
                1,
                List.of(
                    "ERROR: No matching distribution found for flask==99",
                    "Error: building at STEP \"RUN /opt/venv/bin/pip install -q"
                        + " -r /tmp/requirements.txt\": exit status 1")))
        .startsWith(
            "the dependency install `RUN /opt/venv/bin/pip install -q -r /tmp/requirements.txt`"
                + " failed (exit status 1)");
  }

  @Test
  void permissionDeniedAndOtherStepsAreNamedWithTheirStatus() {
    assertThat(
            failure.explain(
                1,
                List.of(
                    "sh: can't create /bin/y: Permission denied",
                    "subprocess exited with status 1",
                    "Error: building at STEP \"RUN /bin/busybox sh -c echo x > /bin/y\":"
                        + " exit status 1")))
        .startsWith(
            "the step `RUN /bin/busybox sh -c echo x > /bin/y` was denied permission (exit"
                + " status 1): it wrote or ran a file its user may not;");
    assertThat(
            failure.explain(
                3,
                List.of(
                    "boom",
                    "Error: building at STEP \"RUN /bin/busybox sh -c exit 3\": exit status 3")))
        .startsWith("the step `RUN /bin/busybox sh -c exit 3` failed (exit status 3);");
  }

  @Test
  void aFileMissingFromTheRepositoryIsNamed() {
    assertThat(
            failure.explain(
                125,
                List.of(
                    "STEP 2/2: COPY nothere /x",
                    "Error: building at STEP \"COPY nothere /x\": checking on sources under"
                        + " \"/workspace/src\": copier: stat: \"/nothere\": no such file or"
                        + " directory")))
        .startsWith(
            "the step `COPY nothere /x` names /nothere, which is not in the repository at this"
                + " commit;");
  }

  @Test
  void aLongStepIsShortened() {
    String step = "RUN " + "x".repeat(300);
    assertThat(
            failure.explain(2, List.of("Error: building at STEP \"" + step + "\": exit status 2")))
        .startsWith("the step `RUN " + "x".repeat(155) + "…` failed (exit status 2)");
  }

  @Test
  void aFunctionWhoseHandlerDoesNotLoadSaysWhyInTheRuntimesOwnWords() {
    assertThat(
            failure.explain(
                1,
                List.of(
                    "SyntaxError: Unexpected token '}'",
                    "slipway function: handler.js has a syntax error at line 4: SyntaxError:"
                        + " Unexpected token '}'",
                    "Error: building at STEP \"RUN node /opt/slipway/function/runtime.js --check\":"
                        + " while running runtime: exit status 1")))
        .startsWith(
            "handler.js has a syntax error at line 4: SyntaxError: Unexpected token '}' (fix it"
                + " and push again); the log ends with:\n");
    // the same words from another step are the handler's own output, not the check's verdict
    assertThat(
            failure.explain(
                1,
                List.of(
                    "slipway function: handler.js has a syntax error at line 4",
                    "Error: building at STEP \"RUN make\": while running runtime: exit status 2")))
        .startsWith("the step `RUN make` failed (while running runtime: exit status 2)");
  }
}
