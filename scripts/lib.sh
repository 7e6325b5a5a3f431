# shellcheck shell=bash
# What every command of ./slipway shares: where its state lives, the platform's wiring
# (config/platform.env), messages, installing what is missing, processes by pid file, secrets.
# Sourced by ./slipway, which sets ROOT.

# SLIPWAY_STATE puts it elsewhere (a second platform on one machine, as the backup test runs one)
STATE="${SLIPWAY_STATE:-$ROOT/.slipway}"
PIDS="$STATE/pids"
LOGS="$STATE/logs"
VERSION="0.1.0-SNAPSHOT"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# The wiring, from config/platform.env (its head says the format: KEY=value lines, # comments, no
# quotes, no expansion), read line by line into PLATFORM rather than sourced: the tests read the
# same file with a parser of the same rules (io.slipway.testing.PlatformWiring).

declare -gA PLATFORM=()
load_platform() {
  local file="$ROOT/config/platform.env" line
  [ -r "$file" ] || die "no $file"
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    [[ "$line" == *=* ]] || die "$file: not KEY=value: $line"
    PLATFORM["${line%%=*}"]="${line#*=}"
  done <"$file"
}

platform() { # key: its value in config/platform.env; a missing key is an error in that file
  [ -n "${PLATFORM[$1]+set}" ] || die "config/platform.env has no $1"
  printf '%s\n' "${PLATFORM[$1]}"
}

port_of() { # name: <name>.port, unless the variable <name>.port-env names is set
  local override="${PLATFORM[$1.port-env]:-}"
  if [ -n "$override" ] && [ -n "${!override:-}" ]; then echo "${!override}"; else platform "$1.port"; fi
}

management_port_of() { # name: <name>.management-port, or its override
  local override="${PLATFORM[$1.management-port-env]:-}"
  if [ -n "$override" ] && [ -n "${!override:-}" ]; then echo "${!override}"; else platform "$1.management-port"; fi
}

load_platform
read -r -a SERVICES <<<"$(platform services)" # in start order
PG_PORT="$(port_of postgres)"
PG_USER="$(platform postgres.user)"
KC_PORT="$(port_of keycloak)"
KC_MANAGEMENT_PORT="$(management_port_of keycloak)"
KC_URL="http://127.0.0.1:$KC_PORT"
KC_REALM="$(platform keycloak.realm)"
# Caddy routes <app>--<project>--<tenant>.apps.localhost:$APPS_PORT to the apps; its admin API is
# loopback only.
APPS_PORT="$(port_of apps)"
# The Keycloak that `./slipway test` starts afresh for each run, and the tests' portal's port.
KC_TEST_PORT="$(port_of test-keycloak)"
KC_TEST_MANAGEMENT_PORT="$(management_port_of test-keycloak)"
TEST_PORTAL_PORT="$(platform test-portal.port)"

service_url() { # service[/path]: its URL on this machine
  local name="${1%%/*}" path=""
  [ "$name" = "$1" ] || path="/${1#*/}"
  echo "http://127.0.0.1:$(port_of "$name")$path"
}

# ---------------------------------------------------------------------------------------------
# What the commands need, installed when missing

apt_install() {
  [ "$(id -u)" = 0 ] || die "missing packages: $*; install them (apt-get install $*) or run as root"
  say "installing $*"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

ensure_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
    /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return
    fi
  done
  apt_install openjdk-21-jdk-headless 2>/dev/null ||
    die "Slipway needs a JDK 21 or newer; install one and set JAVA_HOME"
  export JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64
}

ensure_maven() { command -v mvn >/dev/null || apt_install maven; }

# The test suite lints this script and scripts/*.sh (testing's ShellScriptsTest).
ensure_shellcheck() { command -v shellcheck >/dev/null || apt_install shellcheck; }

# Browser tests drive Debian's Chromium through its chromedriver. The tests' Python package index
# serves the Python samples' dependencies as wheels the tests make from Debian's python3-humanize
# and python3-gunicorn (testing's TestPythonIndex).
ensure_browser() {
  { command -v chromium >/dev/null && command -v chromedriver >/dev/null; } || apt_install chromium chromium-driver
  local module missing=()
  for module in humanize gunicorn; do
    [ -d "/usr/lib/python3/dist-packages/$module" ] || missing+=("python3-$module")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# slipway-cli's TerminalIT runs the CLI in a real terminal: tmux.
ensure_terminal() { command -v tmux >/dev/null || apt_install tmux; }

# Builds and apps: buildah builds images into containers-storage, podman runs them, Caddy routes.
ensure_containers() {
  local missing=() tool
  for tool in buildah podman runc skopeo caddy git docker-registry catatonit; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ -x /bin/busybox ] || missing+=(busybox-static)
  # runtime-bridge closes the project networks with its own nftables table (docs/security.md)
  [ -x /usr/sbin/nft ] || command -v nft >/dev/null || missing+=(nftables)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}" uidmap fuse-overlayfs slirp4netns
  export CONTAINERS_CONF="$ROOT/config/containers.conf"
}

# runtime-bridge closes project networks with nftables, which needs root. Without root (rootless
# podman) the firewall is off and apps reach the host's services and the outside: said loudly.
firewall_enabled() {
  if [ -n "${SLIPWAY_RUNTIME_PODMAN_FIREWALL_ENABLED:-}" ]; then
    echo "$SLIPWAY_RUNTIME_PODMAN_FIREWALL_ENABLED"
  elif [ "$(id -u)" = 0 ]; then
    echo true
  else
    printf '\033[33mwarning:\033[0m not root: app containers are not firewalled (docs/security.md)\n' >&2
    echo false
  fi
}

# PostgreSQL refuses to run as root. As root we run it in a fresh user namespace where root is not
# mapped: the server is unprivileged, and the files it writes stay ours.
as_unprivileged() {
  if [ "$(id -u)" = 0 ]; then unshare --user "$@"; else "$@"; fi
}

# ---------------------------------------------------------------------------------------------
# Processes, by pid file

running() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

stop_pid() { # name
  running "$1" || { rm -f "$PIDS/$1.pid"; return 0; }
  local pid; pid="$(cat "$PIDS/$1.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDS/$1.pid"
  say "stopped $1 (pid $pid)"
}

wait_http() { # name url seconds
  local deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    running "$1" || die "$1 exited during start-up; see $LOGS/$1.log"
    [ $SECONDS -lt "$deadline" ] || die "$1 did not become healthy in $3 s; see $LOGS/$1.log"
    sleep 0.5
  done
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# kc.sh runs java as its child and forwards TERM to it; on a first start it re-augments the build
# for start-dev and then execs java in its own place. Either way, keep java's pid once ready.
java_pid() { # pid: pid itself when it is java, else its java child
  local child children=()
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = java ] && { echo "$1"; return; }
  read -r -a children < <(cat /proc/"$1"/task/*/children 2>/dev/null) || true
  for child in "${children[@]}"; do
    [ "$(cat "/proc/$child/comm" 2>/dev/null)" = java ] && { echo "$child"; return; }
  done
  echo "$1"
}

# ---------------------------------------------------------------------------------------------
# Secrets

secret() { # name [dir]: a random secret kept in dir (default .slipway/secrets)
  local dir="${2:-$STATE/secrets}"
  local file="$dir/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$dir" && chmod 700 "$dir"
    (umask 077 && openssl rand -hex 24 >"$file")
  fi
  cat "$file"
}

aes_key() { # name: 32 random bytes, base64 (an AES-256 key), made once into .slipway/secrets
  local dir="$STATE/secrets" file="$STATE/secrets/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$dir" && chmod 700 "$dir"
    (umask 077 && openssl rand -base64 32 >"$file")
  fi
  cat "$file"
}

previous_keys() { # name: the keys kept in .slipway/secrets/<name>, one a line, joined by commas
  local file="$STATE/secrets/$1"
  [ ! -s "$file" ] || paste -sd, "$file"
}

client_secrets() { # VARIABLE:name of every service's Keycloak client secret (config/platform.env)
  local name
  for name in "${SERVICES[@]}"; do
    [ -z "${PLATFORM[$name.client-secret]:-}" ] || echo "${PLATFORM[$name.client-secret]}"
  done
}
