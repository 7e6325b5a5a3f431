# shellcheck shell=bash
# Keycloak: the official distribution from Maven Central (version: <keycloak.version> in pom.xml),
# in development mode (start-dev), with the realm of keycloak/slipway-realm.json imported on first
# start. The Keycloak of `up` keeps its data in PostgreSQL (config/platform.env: keycloak.database),
# beside the services' databases, so that one backup holds both; the test run's keeps an H2 file
# under its data/. The realm file takes its secrets and the
# portal's URL from the environment (${VAR} placeholders), so none of them is committed.

keycloak_version() {
  local version
  version="$(sed -n 's:.*<keycloak\.version>\([^<]*\)</keycloak\.version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
  [ -n "$version" ] || die "no <keycloak.version> property in $ROOT/pom.xml"
  echo "$version"
}

ensure_keycloak_tools() {
  command -v curl >/dev/null || apt_install curl
  command -v unzip >/dev/null || apt_install unzip
  command -v openssl >/dev/null || apt_install openssl
}

KC_ZIP=""
fetch_keycloak() { # sets KC_ZIP: the distribution, fetched with Maven once into .slipway/downloads
  local version tmp
  version="$(keycloak_version)"
  KC_ZIP="$STATE/downloads/keycloak-quarkus-dist-$version.zip"
  [ -s "$KC_ZIP" ] && return
  say "fetching Keycloak $version from Maven Central"
  mkdir -p "$STATE/downloads" "$LOGS"
  tmp="$(mktemp -d "$STATE/downloads/.fetch.XXXXXX")"
  (cd "$ROOT" && mvn -B -q -N dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" \
    -DoutputDirectory="$tmp") >"$LOGS/keycloak-fetch.log" 2>&1 ||
    die "could not fetch Keycloak $version; see $LOGS/keycloak-fetch.log"
  mv "$tmp/keycloak-quarkus-dist-$version.zip" "$KC_ZIP"
  rm -rf "$tmp"
}

# A distribution's first start-dev rewrites lib/quarkus for its build options (Quarkus'
# augmentation: 20 s of CPU, minutes on a busy 2-core machine). That result is kept per user, by
# version and by the options' kind (the database), and put in place of the one a fresh unpack has.
# Keycloak itself compares the build options it finds there with the ones it is started with and
# augments again when they differ, so a stale copy costs time, never a wrong start.
KC_AUGMENTED="${XDG_CACHE_HOME:-$HOME/.cache}/slipway/keycloak"

unpack_keycloak() { # dir build: the distribution unpacked into dir; a data/ already there is kept
  local dir="$1" build="$2" tmp unpacked augmented
  fetch_keycloak
  tmp="$(mktemp -d "$STATE/.unpack.XXXXXX")"
  unzip -q "$KC_ZIP" -d "$tmp" || die "could not unpack $KC_ZIP"
  unpacked="$(echo "$tmp"/keycloak-*)"
  augmented="$KC_AUGMENTED/$(keycloak_version)-$build.tar"
  if [ -s "$augmented" ] && mkdir "$tmp/augmented" && tar -xf "$augmented" -C "$tmp/augmented"; then
    rm -rf "$unpacked/lib/quarkus"
    mv "$tmp/augmented" "$unpacked/lib/quarkus"
  else
    rm -rf "$tmp/augmented"
  fi
  [ -d "$dir/data" ] && mv "$dir/data" "$unpacked"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  mv "$unpacked" "$dir"
  rmdir "$tmp"
}

keep_augmentation() { # dir build: after a start that got ready, its lib/quarkus for the next unpack
  local augmented tmp
  augmented="$KC_AUGMENTED/$(keycloak_version)-$2.tar"
  [ -s "$augmented" ] && return
  mkdir -p "$KC_AUGMENTED"
  tmp="$(mktemp "$augmented.XXXXXX")"
  if tar -cf "$tmp" -C "$1/lib/quarkus" .; then mv "$tmp" "$augmented"; else rm -f "$tmp"; fi
}

start_keycloak() { # name dir port management-port secrets-dir portal-url [kc.sh option ...]
  local name="$1" dir="$2" port="$3" management="$4" secrets="$5" portal_url="$6" p entry
  shift 6
  for p in "$port" "$management"; do
    ! port_taken "$p" || die "port $p is taken by a process that is not $name; stop it first"
  done
  mkdir -p "$dir/data/import" "$PIDS" "$LOGS"
  chmod 700 "$dir/data" # users, credentials and keys: for this user alone
  cp "$ROOT/keycloak/slipway-realm.json" "$dir/data/import/"
  # the services' client secrets, under the names the realm file's placeholders use
  local clients=()
  while IFS= read -r entry; do
    clients+=("${entry%%:*}=$(secret "${entry#*:}" "$secrets")")
  done < <(client_secrets)
  # JAVA_OPTS replaces kc.sh's defaults: the same ones but the serial collector (G1 costs ~100 MiB
  # more on an idle Keycloak), C1 only (C2's code and compiler threads cost ~140 MiB; it starts no
  # slower) and a smaller heap. The add-opens spares a stack trace at shutdown on Java 24+
  # (jboss-threads resets thread locals).
  env "${clients[@]}" \
    JAVA_HOME="$JAVA_HOME" \
    JAVA_OPTS="-Xms32m -Xmx384m -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
-XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8 \
-Djava.security.egd=file:/dev/urandom -Djdk.tls.rejectClientInitiatedRenegotiation=true" \
    JAVA_OPTS_APPEND="--add-opens=java.base/java.lang=ALL-UNNAMED" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$(secret keycloak-admin-password "$secrets")" \
    SLIPWAY_PORTAL_URL="$portal_url" \
    SLIPWAY_DEMO_PASSWORD="$(secret demo-password "$secrets")" \
    setsid "$dir/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" \
    --http-management-port="$management" --health-enabled=true --import-realm "$@" \
    >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  say "starting $name on :$port (pid $!)"
}

await_keycloak() { # name management-port seconds
  wait_http "$1" "http://127.0.0.1:$2/health/ready" "$3"
  java_pid "$(cat "$PIDS/$1.pid")" >"$PIDS/$1.pid.new" && mv "$PIDS/$1.pid.new" "$PIDS/$1.pid"
}

KC_STARTED=""
KC_STARTED_MARK=.slipway-started
keycloak_started() { # marks the Keycloak of `up` as having started once with its distribution
  touch "$STATE/keycloak/$KC_STARTED_MARK"
  keep_augmentation "$STATE/keycloak" postgres
}

start_dev_keycloak() { # the Keycloak of `up`: unpacked once into .slipway/keycloak, data kept
  if running keycloak; then
    say "keycloak already running (pid $(cat "$PIDS/keycloak.pid"))"
    return
  fi
  local dir="$STATE/keycloak"
  # its first start rewrites the distribution for this configuration (Quarkus' augmentation, in
  # lib/quarkus); one killed half-way leaves it unable to start ever after, so a distribution that
  # never started is unpacked again (its data/ kept)
  [ -f "$dir/$KC_STARTED_MARK" ] && grep -qx "Keycloak - Version $(keycloak_version)" "$dir/version.txt" 2>/dev/null ||
    unpack_keycloak "$dir" postgres
  KC_STARTED=$SECONDS
  start_keycloak keycloak "$dir" "$KC_PORT" "$KC_MANAGEMENT_PORT" "$STATE/secrets" "$(service_url portal)" \
    --db=postgres --db-url="jdbc:postgresql://127.0.0.1:$PG_PORT/$(platform keycloak.database)" \
    --db-username="$PG_USER" --db-password="$(secret pg-password)"
}

stop_test_keycloak() { # the EXIT trap of `test`: keeps the exit status
  local status=$?
  stop_pid keycloak-test
  exit "$status"
}

start_test_keycloak() { # a fresh Keycloak with fresh secrets for one test run; stopped on exit
  local test="$STATE/test" started=$SECONDS entry variable value
  stop_pid keycloak-test # left by a run that was killed
  say "starting Keycloak for the tests on :$KC_TEST_PORT ..."
  rm -rf "$test"
  unpack_keycloak "$test/keycloak" dev-file
  trap stop_test_keycloak EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_keycloak keycloak-test "$test/keycloak" "$KC_TEST_PORT" "$KC_TEST_MANAGEMENT_PORT" "$test/secrets" \
    "http://127.0.0.1:$TEST_PORTAL_PORT"
  await_keycloak keycloak-test "$KC_TEST_MANAGEMENT_PORT" 240
  keep_augmentation "$test/keycloak" dev-file
  say "Keycloak ready in $((SECONDS - started)) s"
  export SLIPWAY_TEST_KEYCLOAK_URL="http://127.0.0.1:$KC_TEST_PORT"
  export SLIPWAY_TEST_PORTAL_URL="http://127.0.0.1:$TEST_PORTAL_PORT"
  export SLIPWAY_TEST_KEYCLOAK_ADMIN_PASSWORD SLIPWAY_TEST_DEMO_PASSWORD
  SLIPWAY_TEST_KEYCLOAK_ADMIN_PASSWORD="$(secret keycloak-admin-password "$test/secrets")"
  SLIPWAY_TEST_DEMO_PASSWORD="$(secret demo-password "$test/secrets")"
  # SLIPWAY_TEST_<rest of the client secret's variable>: the name TestKeycloak reads
  while IFS= read -r entry; do
    variable="SLIPWAY_TEST_${entry%%:*}"
    variable="${variable/SLIPWAY_TEST_SLIPWAY_/SLIPWAY_TEST_}"
    value="$(secret "${entry#*:}" "$test/secrets")"
    export "$variable=$value"
  done < <(client_secrets)
}
