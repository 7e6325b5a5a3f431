# shellcheck shell=bash
# ./slipway backup FILE, restore FILE: everything the platform on this machine needs to come back,
# in one archive (docs/operations.md: what is in it, what is not).
#
# The archive (a gzipped tar, readable by this user alone: it holds the platform's secrets):
#   slipway-backup.txt     format, version, when, the databases and images it holds
#   pg/<database>.dump     pg_dump --format=custom of each service's database and Keycloak's
#   state.tar              .slipway/secrets, build-service's git repositories, signing keys and
#                          advisories (build/repos without its .sandbox caches, build/keys,
#                          build/advisories)
#   images/                the images of every revision whose image is still kept: an OCI layout
#   images.txt             (skopeo copy --preserve-digests), the digests deploys pin unchanged;
#                          images.txt lists their names

BACKUP_FORMAT=1

cmd_backup() {
  local file="${1:-}"
  [ -n "$file" ] || die "usage: ./slipway backup FILE"
  [ ! -e "$file" ] || die "$file exists; name a new file (a backup never overwrites one)"
  running postgres || die "PostgreSQL is not running: a backup is taken from the running platform (./slipway up -d)"
  ensure_postgres
  ensure_containers
  local work password db count=0 images=()
  work="$(mktemp -d "$STATE/.backup.XXXXXX")"
  # shellcheck disable=SC2064 # the directory is known now
  trap "rm -rf '$work'" EXIT
  chmod 700 "$work"
  mkdir "$work/pg"
  password="$(secret pg-password)"
  for db in $(databases); do
    PGPASSWORD="$password" "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" --format=custom \
      --file="$work/pg/$db.dump" "$db" 2>"$work/pg_dump.log" ||
      die "pg_dump of $db failed: $(tail -3 "$work/pg_dump.log")"
    say "database $db: $(du -h "$work/pg/$db.dump" | cut -f1)"
  done
  local paths=(secrets)
  [ -d "$STATE/build/repos" ] && paths+=(build/repos)
  [ -d "$STATE/build/keys" ] && paths+=(build/keys)
  [ -d "$STATE/build/advisories" ] && paths+=(build/advisories)
  tar -C "$STATE" --exclude=build/repos/.sandbox -cf "$work/state.tar" "${paths[@]}" ||
    die "could not archive ${paths[*]} of $STATE"
  say "files: ${paths[*]}"
  local kept
  kept="$(kept_images "$password")"
  [ -z "$kept" ] || mapfile -t images <<<"$kept"
  local image
  for image in "${images[@]}"; do
    # podman save would write new manifests, and a revision pins its image's manifest digest
    skopeo copy -q --preserve-digests "containers-storage:$image" "oci:$work/images:$image" 2>"$work/skopeo.log" ||
      die "copying $image out of the image store failed: $(tail -3 "$work/skopeo.log")"
    echo "$image" >>"$work/images.txt"
    count=$((count + 1))
  done
  say "images: $count"
  {
    echo "format=$BACKUP_FORMAT"
    echo "version=$VERSION"
    echo "taken=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "databases=$(databases | tr '\n' ' ' | sed 's/ $//')"
    echo "images=$count"
  } >"$work/slipway-backup.txt"
  local parts=(slipway-backup.txt pg state.tar)
  [ "$count" = 0 ] || parts+=(images images.txt)
  (umask 077 && tar -C "$work" -czf "$file.partial" "${parts[@]}") ||
    { rm -f "$file.partial"; die "could not write $file"; }
  mv "$file.partial" "$file"
  say "backup written to $file ($(du -h "$file" | cut -f1)); restore it with ./slipway restore $file"
}

kept_images() { # pg password: the images of the revisions runtime-bridge still keeps, present here
  local listed image
  listed="$(PGPASSWORD="$1" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$(platform runtime-bridge.database)" \
    -tAq -c "select distinct image from revision where image_removed_at is null order by image")" ||
    die "could not list the apps' images in runtime-bridge's database"
  while IFS= read -r image; do
    if [ -n "$image" ] && podman image exists "$image"; then echo "$image"; fi
  done <<<"$listed"
}

cmd_restore() {
  local file="${1:-}" name
  [ -n "$file" ] || die "usage: ./slipway restore FILE"
  [ -r "$file" ] || die "cannot read $file"
  for name in postgres keycloak caddy "${SERVICES[@]}"; do
    ! running "$name" || die "$name is running: stop the platform first (./slipway down)"
  done
  if [ -e "$STATE/pgdata/PG_VERSION" ] || [ -d "$STATE/build/repos" ]; then
    die "$STATE already holds a platform; restore into a fresh one (move it aside: mv $STATE $STATE.old)"
  fi
  ensure_java
  ensure_postgres
  ensure_containers
  local work db
  mkdir -p "$STATE" && chmod 700 "$STATE"
  work="$(mktemp -d "$STATE/.restore.XXXXXX")"
  # shellcheck disable=SC2064 # the directory is known now
  trap "rm -rf '$work'" EXIT
  tar -C "$work" -xzf "$file" || die "$file is not a Slipway backup (not a gzipped tar)"
  grep -qx "format=$BACKUP_FORMAT" "$work/slipway-backup.txt" 2>/dev/null ||
    die "$file is not a Slipway backup of format $BACKUP_FORMAT (no slipway-backup.txt saying so)"
  say "restoring the backup taken $(sed -n 's/^taken=//p' "$work/slipway-backup.txt")"
  tar -C "$STATE" -xf "$work/state.tar" || die "could not unpack the files into $STATE"
  mkdir -p "$PIDS" "$LOGS"
  start_postgres # a new cluster with the backup's password, and the empty databases
  for db in $(sed -n 's/^databases=//p' "$work/slipway-backup.txt"); do
    [ -f "$work/pg/$db.dump" ] || die "the backup lists database $db but holds no dump of it"
    PGPASSWORD="$(secret pg-password)" "$PG_BIN/pg_restore" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" \
      --no-owner --exit-on-error -d "$db" "$work/pg/$db.dump" 2>"$work/pg_restore.log" ||
      die "restoring database $db failed: $(tail -3 "$work/pg_restore.log")"
    say "database $db restored"
  done
  local image count=0
  if [ -f "$work/images.txt" ]; then
    while IFS= read -r image; do
      skopeo copy -q --preserve-digests "oci:$work/images:$image" "containers-storage:$image" 2>"$work/skopeo.log" ||
        die "copying $image into the image store failed: $(tail -3 "$work/skopeo.log")"
      count=$((count + 1))
    done <"$work/images.txt"
  fi
  say "images: $count restored"
  rm -rf "$work"
  trap - EXIT
  say "restored into $STATE; starting the platform (its apps start as their revisions say)"
  cmd_up -d
}
