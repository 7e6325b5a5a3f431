# shellcheck shell=bash
# ./slipway test [--fast], test-env, bench: the test suite, its Keycloak, the benchmarks.

# For running one module's tests by hand: the test run's Keycloak, kept up until Ctrl-C.
cmd_test_env() {
  ensure_java
  ensure_terminal
  ensure_containers
  start_test_dependencies
  { env | grep '^SLIPWAY_TEST_' | sed 's/^/export /'; echo "export CONTAINERS_CONF=$CONTAINERS_CONF"
    echo "export JAVA_HOME=$JAVA_HOME"; } >"$STATE/test/env"
  say "run: source $STATE/test/env && mvn -B verify -pl <module>   (Ctrl-C stops Keycloak)"
  while true; do sleep 1; done
}

start_test_dependencies() { # the tests' Keycloak, started while the stack images are made
  ensure_keycloak_tools
  mkdir -p "$PIDS" "$LOGS"
  ensure_images &
  local images=$!
  start_test_keycloak
  wait "$images" || die "the stack or builder images could not be made (see above)"
}

cmd_test() {
  ensure_java
  ensure_maven
  ensure_shellcheck
  if [ "${1:-}" = "--fast" ]; then
    shift
    cd "$ROOT"
    say "running the fast tier: unit and slice tests (Surefire *Test) with $JAVA_HOME; no ITs"
    # Two modules at a time (the root pom's argLine already keeps test JVMs off the optimizing JIT).
    mvn -B -T 2 test "$@"
    return
  fi
  ensure_containers
  ensure_browser
  ensure_terminal
  start_test_dependencies
  cd "$ROOT"
  say "running the whole test suite (unit tests and integration tests) with $JAVA_HOME"
  # Two modules at a time: build-service's ITs (builds) and runtime-bridge's (containers, routes)
  # wait on podman and buildah far more than on the CPU, and every IT names what it creates after
  # its own tenant, so the two halves of the reactor run side by side.
  local started=$SECONDS
  mvn -B -T 2 verify "$@"
  say "the whole test suite passed in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
}

cmd_bench() {
  ensure_java
  ensure_maven
  # the raw-tools floors run podman and buildah themselves, under the platform's containers.conf
  ensure_containers
  # the benchmarks that run a service (runtime-bridge's WakeBenchmark) need the tests' Keycloak and
  # the stack images; a shell that sourced `test-env` already has both
  [ -n "${SLIPWAY_TEST_KEYCLOAK_URL:-}" ] || start_test_dependencies
  cd "$ROOT"
  mvn -B -Pbench verify -Dspotless.check.skip=true "$@"
}
