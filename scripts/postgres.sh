# shellcheck shell=bash
# PostgreSQL of ./slipway up: one cluster in .slipway/pgdata, one database per service and one for
# Keycloak (config/platform.env: <name>.database), password in .slipway/secrets/pg-password.

PG_BIN=""
ensure_postgres() {
  PG_BIN="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)"
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    apt_install postgresql
    PG_BIN="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -1)"
  fi
  command -v psql >/dev/null || apt_install postgresql-client
  command -v openssl >/dev/null || apt_install openssl
}

start_postgres() {
  local data="$STATE/pgdata" password
  password="$(secret pg-password)"
  if [ ! -s "$data/PG_VERSION" ]; then
    say "creating the PostgreSQL cluster in $data"
    mkdir -p "$data" && chmod 700 "$data"
    as_unprivileged "$PG_BIN/initdb" -D "$data" -U "$PG_USER" -E UTF8 --auth=scram-sha-256 \
      --pwfile=<(printf '%s\n' "$password") >"$LOGS/initdb.log" 2>&1 ||
      die "initdb failed; see $LOGS/initdb.log"
  fi
  if ! running postgres; then
    rm -f "$data/postmaster.pid" # left by a killed server; pg_ctl checks the pid itself otherwise
    as_unprivileged "$PG_BIN/pg_ctl" -D "$data" -l "$LOGS/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $STATE -c listen_addresses=127.0.0.1 -c shared_buffers=32MB" start >/dev/null ||
      die "PostgreSQL did not start; see $LOGS/postgres.log"
    head -1 "$data/postmaster.pid" >"$PIDS/postgres.pid"
    say "PostgreSQL on 127.0.0.1:$PG_PORT (pid $(cat "$PIDS/postgres.pid"))"
  fi
  local db
  for db in $(databases); do
    PGPASSWORD="$password" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAq \
      -c "select 1 from pg_database where datname = '$db'" | grep -q 1 ||
      PGPASSWORD="$password" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -q \
        -c "create database $db"
  done
}

databases() { # every database of the cluster: the services' and the development Keycloak's
  local name
  for name in "${SERVICES[@]}" keycloak; do
    [ -z "${PLATFORM[$name.database]:-}" ] || echo "${PLATFORM[$name.database]}"
  done
}

stop_postgres() {
  running postgres || return 0
  ensure_postgres
  as_unprivileged "$PG_BIN/pg_ctl" -D "$STATE/pgdata" -m fast -w stop >/dev/null 2>&1 || stop_pid postgres
  rm -f "$PIDS/postgres.pid"
  say "stopped PostgreSQL"
}

database_env() { # service: its connection variables for this machine's PostgreSQL, one per line
  local prefix="${PLATFORM[$1.database-env]:-}"
  [ -n "$prefix" ] || return 0
  echo "${prefix}_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$(platform "$1.database")"
  echo "${prefix}_USER=$PG_USER"
  echo "${prefix}_PASSWORD=$(secret pg-password)"
}
