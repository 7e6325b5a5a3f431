# shellcheck shell=bash
# ./slipway test [--fast], test-env, bench: the test suite, its Keycloak, the benchmarks.

# For running one module's tests by hand: the test run's Keycloak, kept up until Ctrl-C.
cmd_test_env() {
  ensure_java
  ensure_terminal
  ensure_keycloak_tools
  ensure_containers
  mkdir -p "$PIDS" "$LOGS"
  ensure_images &
  local images=$!
  start_test_keycloak
  wait "$images" || die "the stack or builder images could not be made (see above)"
  { env | grep '^SLIPWAY_TEST_' | sed 's/^/export /'; echo "export CONTAINERS_CONF=$CONTAINERS_CONF"
    echo "export JAVA_HOME=$JAVA_HOME"; } >"$STATE/test/env"
  say "run: source $STATE/test/env && mvn -B verify -pl <module>   (Ctrl-C stops Keycloak)"
  while true; do sleep 1; done
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
  ensure_keycloak_tools
  mkdir -p "$PIDS" "$LOGS"
  # the images are made while Keycloak starts
  ensure_images &
  local images=$!
  start_test_keycloak
  wait "$images" || die "the stack or builder images could not be made (see above)"
  cd "$ROOT"
  say "running the whole test suite (unit tests and integration tests) with $JAVA_HOME"
  mvn -B verify "$@"
}

cmd_bench() {
  ensure_java
  ensure_maven
  # the raw-tools floors run podman and buildah themselves, under the platform's containers.conf
  ensure_containers
  cd "$ROOT"
  mvn -B -Pbench verify -Dspotless.check.skip=true "$@"
}
