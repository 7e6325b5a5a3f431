# shellcheck shell=bash
# ./slipway up [-d], down, status: the platform on this machine.

cmd_up() {
  local detach=0
  [ "${1:-}" = "-d" ] && detach=1
  mkdir -p "$PIDS" "$LOGS"
  ensure_java
  ensure_maven
  ensure_containers
  ensure_postgres
  ensure_keycloak_tools
  start_postgres
  start_dev_keycloak # starts in the background (~30 s) while the services build and start
  start_caddy
  # the images are made while the services build (both the first time: many minutes)
  ensure_images &
  local images=$!
  build_if_needed
  install_cli
  wait "$images" || die "the stack or builder images could not be made (see above)"
  local name
  for name in "${SERVICES[@]}"; do
    start_service "$name" "$(port_of "$name")"
  done
  for name in "${SERVICES[@]}"; do
    # build-service is healthy once the stack images are in the build sandboxes' platform store (a
    # minute or two the first time, for every stack)
    wait_http "$name" "$(service_url "$name")/actuator/health" 300
  done
  await_keycloak keycloak "$KC_MANAGEMENT_PORT" 240
  keycloak_started
  [ -z "$KC_STARTED" ] || say "Keycloak ready in $((SECONDS - KC_STARTED)) s"
  echo
  say "Slipway is up"
  for name in "${SERVICES[@]}"; do
    printf '    %-15s %s\n' "$name" "$(service_url "$name")"
  done
  printf '    %-15s %s/swagger-ui.html\n' "tenant API" "$(service_url tenant-service)"
  printf '    %-15s http://<app>--<project>--<tenant>.apps.localhost:%s (Caddy)\n' "apps" "$APPS_PORT"
  printf '    %-15s podman system service, run by runtime-bridge (./slipway status)\n' "podman API"
  printf '    %-15s 127.0.0.1:%s (user %s, password in %s/secrets/pg-password)\n' "PostgreSQL" "$PG_PORT" "$PG_USER" "$STATE"
  printf '    %-15s %s (realm %s: %s/realms/%s)\n' "Keycloak" "$KC_URL" "$KC_REALM" "$KC_URL" "$KC_REALM"
  printf '    %-15s %s/admin (user admin, password in %s/secrets/keycloak-admin-password)\n' \
    "admin console" "$KC_URL" "$STATE"
  printf '    %-15s alice (developer), admin (platform admin); password %s\n' "demo users" \
    "$(secret demo-password)"
  printf '    %-15s sign in to the portal, then Access tokens: a token with scope api\n' "API token"
  printf '    %-15s slipway-cli login  (%s/slipway-cli; docs/cli.md)\n' "CLI" "$CLI_BIN"
  echo "    logs: $LOGS"
  if [ "$detach" = 1 ] || [ ! -t 0 ]; then
    echo "    stop with: ./slipway down"
    return
  fi
  echo "    Ctrl-C stops everything"
  trap 'echo; cmd_down; exit 0' INT TERM
  while true; do sleep 1; done
}

cmd_down() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    stop_pid "${SERVICES[$i]}"
  done
  stop_pid keycloak
  stop_pid caddy
  stop_postgres
}

cmd_status() {
  local name pid
  for name in postgres keycloak caddy "${SERVICES[@]}"; do
    if running "$name"; then echo "$name: running (pid $(cat "$PIDS/$name.pid"))"; else echo "$name: stopped"; fi
  done
  # runtime-bridge runs podman's API service as its child (started on its first call to podman)
  pid="$(running runtime-bridge && pgrep -f 'podman system service .*slipway-podman-' -P \
    "$(java_pid "$(cat "$PIDS/runtime-bridge.pid")")" || true)"
  if [ -n "$pid" ]; then echo "podman service: running (pid $pid, run by runtime-bridge)"; else echo "podman service: stopped"; fi
}
