# shellcheck shell=bash
# The services (config/platform.env: services), built from their modules and run from their jars,
# and slipway-cli linked onto the PATH.

jar_of() { echo "$ROOT/$1/target/$1-$VERSION-exec.jar"; }

# What the service runs: Spring Boot's extract of its executable jar, the application's classes
# with its libraries as plain jars beside them, which the JVM opens directly instead of through the
# nested-jar loader (a start takes about a third less CPU: 9.6 against 14.6 s for tenant-service
# here). Made once per build of the jar; older extracts of the service, stopped by now, removed.
launch_jar_of() { # service
  local jar dir
  jar="$(jar_of "$1")"
  dir="$STATE/jars/$1/$(stat -c '%Y-%s' "$jar")"
  if [ ! -f "$dir/${jar##*/}" ]; then
    rm -rf "$STATE/jars/$1" && mkdir -p "$STATE/jars/$1"
    "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$dir.making" \
      >"$LOGS/$1-extract.log" 2>&1 || die "could not extract $jar; see $LOGS/$1-extract.log"
    mv "$dir.making" "$dir"
  fi
  echo "$dir/${jar##*/}"
}

build_if_needed() {
  local stale=0 module jar
  for module in "${SERVICES[@]}"; do
    jar="$(jar_of "$module")"
    if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/$module" "$ROOT/frontend" "$ROOT/pom.xml" -newer "$jar" \
      -type f ! -path '*/target/*' -print -quit)" ]; then
      stale=1
    fi
  done
  if [ "$stale" = 1 ]; then
    say "building the services (mvn package, tests skipped: ./slipway test runs them)"
    (cd "$ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true package) >"$LOGS/build.log" 2>&1 ||
      die "the build failed; see $LOGS/build.log"
  fi
}

# slipway-cli: built with Maven when its sources changed, then as a self-contained command (a
# jlink'd runtime: slipway-cli/src/dist/build-runtime) linked onto the PATH as slipway-cli, in
# /usr/local/bin as root, else ~/.local/bin.
CLI_BIN=
install_cli() {
  local jar="$ROOT/slipway-cli/target/slipway-cli-$VERSION.jar"
  local launcher="$ROOT/slipway-cli/target/cli/bin/slipway-cli"
  if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/slipway-cli" -newer "$jar" -type f ! -path '*/target/*' -print -quit)" ]; then
    (cd "$ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl slipway-cli) \
      >"$LOGS/cli-build.log" 2>&1 || die "building slipway-cli failed; see $LOGS/cli-build.log"
  fi
  # a JDK 25 makes an ahead-of-time cache (faster starts) where an older one makes a CDS archive
  local cli_java="$JAVA_HOME"
  if [ "$(java_major "$cli_java")" -lt 25 ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink ]; then
    cli_java=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  if [ ! -x "$launcher" ] || [ "$jar" -nt "$launcher" ]; then
    JAVA_HOME="$cli_java" "$ROOT/slipway-cli/src/dist/build-runtime" >"$LOGS/cli-build.log" 2>&1 ||
      die "building slipway-cli's runtime failed; see $LOGS/cli-build.log"
  fi
  if [ "$(id -u)" = 0 ]; then CLI_BIN=/usr/local/bin; else CLI_BIN="$HOME/.local/bin"; fi
  mkdir -p "$CLI_BIN" && ln -sfn "$launcher" "$CLI_BIN/slipway-cli"
}

wiring_env() { # service: VARIABLE=value of its database, secrets and the URLs it needs (platform.env)
  local entry
  database_env "$1"
  for entry in ${PLATFORM[$1.client-secret]:-}; do echo "${entry%%:*}=$(secret "${entry#*:}")"; done
  for entry in ${PLATFORM[$1.secret-key]:-}; do echo "${entry%%:*}=$(aes_key "${entry#*:}")"; done
  for entry in ${PLATFORM[$1.previous-secret-keys]:-}; do
    echo "${entry%%:*}=$(previous_keys "${entry#*:}")"
  done
  for entry in ${PLATFORM[$1.urls]:-} ${PLATFORM[$1.public-urls]:-}; do
    echo "${entry%%:*}=$(service_url "${entry#*:}")"
  done
}

start_service() { # name port
  local name="$1" port="$2"
  if running "$name"; then
    say "$name already running (pid $(cat "$PIDS/$name.pid"))"
    return
  fi
  # Each service gets only its own secrets: the database password for those with a database, its
  # client secret for the others. All of them get Keycloak's issuer, to trust the tokens it signs.
  local own=() wiring
  wiring="$(wiring_env "$name")"
  [ -z "$wiring" ] || mapfile -t own <<<"$wiring"
  # What this machine adds to the wiring: where state lives and the local router.
  case "$name" in
    build-service)
      # git repositories are for build-service's user alone
      mkdir -p "$STATE/build/repos" && chmod 700 "$STATE/build/repos"
      own+=(SLIPWAY_BUILD_DATA_DIR="$STATE/build/repos"
        SLIPWAY_BUILD_STACKS_STATIC_BASE_IMAGE="$STATIC_BASE_IMAGE"
        SLIPWAY_BUILD_GOVERNANCE_KEYS_DIR="$STATE/build/keys"
        SLIPWAY_BUILD_GOVERNANCE_ADVISORIES_DIR="$STATE/build/advisories") ;;
    runtime-bridge)
      own+=(SLIPWAY_CADDY_ADMIN_SOCKET="$STATE/caddy/admin/admin.sock"
        SLIPWAY_CADDY_LISTEN="127.0.0.1:$APPS_PORT"
        SLIPWAY_RUNTIME_DOMAINS_CHALLENGE_PORT="$APPS_PORT"
        SLIPWAY_RUNTIME_DOMAINS_ROUTER_ADDRESSES=127.0.0.1
        SLIPWAY_RUNTIME_PODMAN_FIREWALL_ENABLED="$(firewall_enabled)") ;;
  esac
  local jar
  jar="$(launch_jar_of "$name")" || exit 1
  # Small heaps and the serial collector: four JVMs share one machine with the apps they run. Two
  # request threads each are plenty for an idle platform, and one idle database connection: a
  # connection idle for 30 s is closed (each is a PostgreSQL backend of its own). Pools grow under
  # load.
  env "${own[@]}" \
    SERVER_ADDRESS=127.0.0.1 \
    SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE=1 \
    SPRING_DATASOURCE_HIKARI_IDLE_TIMEOUT=30000 \
    SERVER_TOMCAT_THREADS_MIN_SPARE=2 \
    SLIPWAY_KEYCLOAK_URL="$KC_URL" \
    SLIPWAY_OIDC_ISSUER="$KC_URL/realms/$KC_REALM" \
    setsid "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xss512k -XX:MaxRAM=512m -XX:TieredStopAtLevel=1 \
    -jar "$jar" --server.port="$port" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  say "starting $name on :$port (pid $!)"
}

restart_service() { # name: stopped and started again as up starts it, if it runs; waits until healthy
  running "$1" || return 0
  ensure_java
  ensure_containers
  stop_pid "$1"
  start_service "$1" "$(port_of "$1")"
  wait_http "$1" "$(service_url "$1")/actuator/health" 300
}

start_caddy() {
  local dir="$STATE/caddy"
  running caddy && return
  mkdir -p "$dir" "$PIDS" "$LOGS"
  # The admin API listens on a unix socket that only this user can reach (0700): no TCP port an
  # app, a build or another local user could reconfigure the router through.
  mkdir -p "$dir/admin" && chmod 700 "$dir/admin"
  rm -f "$dir/admin/admin.sock"
  printf '{"admin":{"listen":"unix/%s"}}' "$dir/admin/admin.sock" >"$dir/caddy.json"
  XDG_CONFIG_HOME="$dir" XDG_DATA_HOME="$dir" setsid caddy run --config "$dir/caddy.json" \
    >"$LOGS/caddy.log" 2>&1 </dev/null &
  echo $! >"$PIDS/caddy.pid"
  say "starting Caddy, the apps' router, on 127.0.0.1:$APPS_PORT (pid $!)"
}
