# shellcheck shell=bash
# ./slipway rotate-secret-key: a new key for the app secrets runtime-bridge seals (and the forge
# tokens build-service seals), the old one kept as a previous key until runtime-bridge has re-sealed
# every stored secret under the new one (build-service re-seals its tokens as it starts)
# (docs/operations.md: Rotating the secret-sealing key).

cmd_rotate_secret_key() {
  local dir="$STATE/secrets" entry current previous
  entry="$(platform runtime-bridge.secret-key)"
  current="$dir/${entry#*:}"
  entry="$(platform runtime-bridge.previous-secret-keys)"
  previous="$dir/${entry#*:}"
  [ -s "$current" ] || die "no key in $current to rotate (./slipway up makes the first one)"
  # the old key is kept before the new one replaces it: stopped in between, both still open
  (umask 077 && cat "$current" >>"$previous") || die "could not keep the old key in $previous"
  chmod 600 "$previous"
  (umask 077 && openssl rand -base64 32 >"$current.new") || die "could not make a new key"
  mv "$current.new" "$current"
  say "runtime-bridge seals app secrets under a new key; the old one is kept in $previous"
  # build-service seals forge tokens under the same key and re-seals them when it starts
  if running build-service; then
    restart_service build-service
  fi
  if ! running runtime-bridge; then
    say "runtime-bridge is not running: it re-seals the stored secrets when it next starts (./slipway up)"
    return
  fi
  restart_service runtime-bridge
  local line
  line="$(resealed_line 120)"
  if [ -z "$line" ]; then
    say "runtime-bridge is still re-sealing; its log says when it is done: grep Re-sealed $LOGS/runtime-bridge.log"
  else
    say "runtime-bridge: $line"
    case "$line" in
      *"previous keys may be removed"*) echo "    $previous may now be deleted (then restart runtime-bridge, or let the next ./slipway up)" ;;
    esac
  fi
}

resealed_line() { # seconds: the line of runtime-bridge's log that says how re-sealing ended, if it comes
  local deadline=$((SECONDS + $1)) line log="$LOGS/runtime-bridge.log"
  while [ $SECONDS -lt "$deadline" ]; do
    line="$(grep -m1 -E 'Re-sealed [0-9]+ app|Every stored secret is sealed|Re-sealing the stored secrets .* stopped' "$log" || true)"
    if [ -n "$line" ]; then
      echo "${line#*SecretResealer*: }"
      return
    fi
    running runtime-bridge || die "runtime-bridge exited; see $log"
    sleep 1
  done
}
