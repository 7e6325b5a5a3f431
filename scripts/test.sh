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
  local started=$SECONDS
  if [ $# -gt 0 ]; then
    say "running the test suite with $JAVA_HOME: mvn verify $*"
    mvn -B -T 2 verify "$@"
  else
    say "running the whole test suite (unit tests and integration tests) with $JAVA_HOME"
    test_in_lanes
  fi
  say "the whole test suite passed in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
}

# The modules whose tests take longest first (minutes in CI: build-service 34, runtime-bridge 24,
# bench 17, portal 14, the rest 2 or less), then the rest in the reactor's order.
LONGEST_TESTS_FIRST=(build-service runtime-bridge bench portal slipway-cli tenant-service)

# Every module is built, unit-tested and installed first (the reactor, two modules at a time); then
# each module's integration tests run in two lanes, the longest first. A reactor run (`mvn -T 2
# verify`) starts a module's tests only once the modules it depends on have passed theirs, so portal, the CLI and bench waited for
# build-service's 34 minutes while one core had nothing to do; they only need its jar. The lanes
# invoke Failsafe's goals, not the lifecycle, so they never rewrite a jar another lane's tests start.
test_in_lanes() {
  say "building and unit-testing every module"
  mvn -B -T 2 install -DskipITs
  local -a queue=("${LONGEST_TESTS_FIRST[@]}") failed=()
  local module
  for module in $(sed -n 's|^ *<module>\(.*\)</module>.*|\1|p' pom.xml); do
    [[ " ${LONGEST_TESTS_FIRST[*]} " == *" $module "* ]] || queue+=("$module")
  done
  local -A lane_of=() since=()
  local pid
  while [ ${#queue[@]} -gt 0 ] || [ ${#lane_of[@]} -gt 0 ]; do
    while [ ${#lane_of[@]} -lt 2 ] && [ ${#queue[@]} -gt 0 ] && [ ${#failed[@]} -eq 0 ]; do
      module=${queue[0]}
      queue=("${queue[@]:1}")
      say "integration tests of $module"
      mvn -B -pl "$module" failsafe:integration-test failsafe:verify &
      lane_of[$!]=$module
      since[$!]=$SECONDS
    done
    [ ${#lane_of[@]} -gt 0 ] || break
    # only the lanes: Keycloak runs as a job of this shell too
    if wait -n -p pid "${!lane_of[@]}"; then
      say "${lane_of[$pid]}: integration tests passed in $(((SECONDS - since[$pid]) / 60)) min $(((SECONDS - since[$pid]) % 60)) s"
    else
      failed+=("${lane_of[$pid]}")
      say "${lane_of[$pid]}: integration tests FAILED after $(((SECONDS - since[$pid]) / 60)) min (the modules running finish; none starts)"
    fi
    unset "lane_of[$pid]" "since[$pid]"
  done
  [ ${#failed[@]} -eq 0 ] || die "tests failed in: ${failed[*]} (their Maven output above names the failing tests)"
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
