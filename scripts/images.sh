# shellcheck shell=bash
# The stacks' images, built locally: no registry is needed on one machine. The Debian base is a
# debootstrap (minbase) root filesystem from the OS's own mirror; every other stack image is built
# from config/stacks/<stack>/Containerfile on it. An image is rebuilt only when it is missing or its
# Containerfile changed (the Containerfile's hash is a label of the image), so runs after the first
# reuse them. The stacks are the folders of config/stacks (config/platform.env: stacks.dir): a new
# folder with a Containerfile is built with no edit here.

STACKS_DIR="$ROOT/$(platform stacks.dir)"
STACK_PREFIX="$(platform stacks.image-prefix)"
STACK_TAG="$(platform stacks.tag)"
STATIC_BASE_IMAGE="$STACK_PREFIX/static:$STACK_TAG"
DEBIAN_BASE_IMAGE="$(platform stacks.debian-base)"

stack_parents() { # stack: the other stacks whose images its Containerfile starts FROM
  sed -n "s:^FROM[[:space:]]\{1,\}\(--[^[:space:]]*[[:space:]]\{1,\}\)*${STACK_PREFIX//./\\.}/\([^:[:space:]]*\).*:\2:p" \
    "$STACKS_DIR/$1/Containerfile"
}

stack_images() { # every stack folder but static (built from busybox), each after the stacks it is FROM
  local dir stack parent ready pending=() left=() ordered=" " progress
  for dir in "$STACKS_DIR"/*/; do
    stack="$(basename "$dir")"
    [ "$stack" != static ] && [ -f "$dir/Containerfile" ] && pending+=("$stack")
  done
  while [ ${#pending[@]} -gt 0 ]; do
    left=() progress=0
    for stack in "${pending[@]}"; do
      ready=1
      for parent in $(stack_parents "$stack"); do
        [ -d "$STACKS_DIR/$parent" ] && [ "$parent" != static ] && [[ "$ordered" != *" $parent "* ]] && ready=0
      done
      if [ "$ready" = 1 ]; then echo "$stack"; ordered+="$stack "; progress=1; else left+=("$stack"); fi
    done
    [ "$progress" = 1 ] || die "the stacks ${left[*]} start FROM each other in a circle"
    pending=("${left[@]}")
  done
}

debian_mirror() { # the first Debian mirror of the OS's apt sources
  local mirror
  mirror="$(grep -hoE '(URIs:|^deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* \
    2>/dev/null | grep -oE 'https?://[^ ]+' | head -1)"
  echo "${mirror:-http://deb.debian.org/debian}"
}

stack_image_current() { # image hash
  [ "$(podman image inspect --format '{{index .Labels "io.slipway.stack.hash"}}' "$1" 2>/dev/null)" = "$2" ]
}

stack_hash() { # stack: of the images it starts FROM (the Debian base's, another stack's), its Containerfile and its other files
  local parent
  {
    podman image inspect --format '{{.Id}}' "$DEBIAN_BASE_IMAGE"
    for parent in $(stack_parents "$1"); do
      [ "$STACK_PREFIX/$parent" = "${DEBIAN_BASE_IMAGE%:*}" ] ||
        podman image inspect --format '{{.Id}}' "$STACK_PREFIX/$parent:$STACK_TAG"
    done
    cat "$STACKS_DIR/$1/Containerfile"
    # the files it copies (the function runtimes); none for most stacks, whose hash stays as it was
    find "$STACKS_DIR/$1" -type f ! -name Containerfile -print0 | sort -z | xargs -0 -r cat
  } | sha256sum | cut -c1-16
}

ensure_stack_images() {
  local started=$SECONDS built=0 context hash stack image
  # of the two files' contents only: with their paths in it, every checkout rebuilt the image
  hash="$(cat "$STACKS_DIR/static/Containerfile" /bin/busybox | sha256sum | cut -c1-16)"
  if ! stack_image_current "$STATIC_BASE_IMAGE" "$hash"; then
    context="$(mktemp -d)"
    cp /bin/busybox "$context/busybox"
    buildah bud -q --label "io.slipway.stack.hash=$hash" -t "$STATIC_BASE_IMAGE" \
      -f "$STACKS_DIR/static/Containerfile" "$context" >/dev/null ||
      die "could not build $STATIC_BASE_IMAGE"
    rm -rf "$context"
    built=1
  fi
  if ! podman image exists "$DEBIAN_BASE_IMAGE"; then
    command -v debootstrap >/dev/null || apt_install debootstrap
    [ "$(id -u)" = 0 ] || die "making $DEBIAN_BASE_IMAGE with debootstrap needs root"
    say "making $DEBIAN_BASE_IMAGE with debootstrap from $(debian_mirror) (once; a few minutes)"
    context="$(mktemp -d)"
    debootstrap --variant=minbase bookworm "$context/rootfs" "$(debian_mirror)" >"$LOGS/debootstrap.log" 2>&1 ||
      die "debootstrap failed; see $LOGS/debootstrap.log"
    rm -rf "$context/rootfs/var/cache/apt/archives/"*.deb "$context/rootfs/var/lib/apt/lists/"*
    chmod 755 "$context/rootfs" # debootstrap leaves it 555: root without capabilities could not write
    # The host's own certificate authorities (e.g. a TLS-inspecting egress proxy's), so that stack
    # images and builds reach package registries the way the host does.
    mkdir -p "$context/rootfs/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$context/rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
    tar -C "$context/rootfs" -c . | podman import -q - "$DEBIAN_BASE_IMAGE" >/dev/null ||
      die "could not import $DEBIAN_BASE_IMAGE"
    rm -rf "$context"
    built=1
  fi
  local stacks
  stacks="$(stack_images)" # its own step: a circle of FROMs stops the script here
  for stack in $stacks; do
    image="$STACK_PREFIX/$stack:$STACK_TAG"
    hash="$(stack_hash "$stack")"
    stack_image_current "$image" "$hash" && continue
    say "building the $stack stack image $image"
    buildah bud --layers --force-rm --pull=never --label "io.slipway.stack.hash=$hash" -t "$image" \
      -f "$STACKS_DIR/$stack/Containerfile" "$STACKS_DIR/$stack" >"$LOGS/stack-$stack.log" 2>&1 ||
      die "could not build $image; see $LOGS/stack-$stack.log"
    built=1
  done
  [ "$built" = 0 ] || say "stack images ready in $((SECONDS - started)) s"
}

# The VM images (docs/vms.md): the Debian guest in containerDisk format and the QEMU runner, each
# built from config/vm/<image>/ on the Debian base by buildah, inside build containers (the host's
# own tools do not matter). Rebuilt only when the folder or the Debian base changed (their hash is a
# label of the image), so a second run costs nothing.
# Each image's tag is its contract with runtime-bridge (VmSettings): a changed contract gets a new
# tag, so checkouts of the old and the new one never rebuild each other's image.
VM_DIR="$ROOT/config/vm"
VM_IMAGES="runner=localhost/slipway/vm/runner:4 guest=localhost/slipway/vm/debian:1"

ensure_vm_images() {
  local image hash dir entry started=$SECONDS built=0
  for entry in $VM_IMAGES; do
    dir="$VM_DIR/${entry%%=*}" image="${entry#*=}"
    hash="$({ podman image inspect --format '{{.Id}}' "$DEBIAN_BASE_IMAGE"
      find "$dir" -type f -print0 | sort -z | xargs -0 cat; } | sha256sum | cut -c1-16)"
    stack_image_current "$image" "$hash" && continue
    say "building the VM image $image (once; a few minutes)"
    buildah bud --layers --force-rm --pull=never --label "io.slipway.stack.hash=$hash" -t "$image" \
      -f "$dir/Containerfile" "$dir" >"$LOGS/vm-$(basename "$dir").log" 2>&1 ||
      die "could not build $image; see $LOGS/vm-$(basename "$dir").log"
    built=1
  done
  [ "$built" = 0 ] || say "VM images ready in $((SECONDS - started)) s"
}

# The stack images (then the VM images, on their Debian base: about 2 more minutes fresh) and the
# builder image, made side by side: each mostly waits on the Debian mirror and package registries,
# so together they take little more than the longer of the two (fresh: about 12 and 5 minutes).
# debootstrap is installed first, so the two never run apt at once.
ensure_images() {
  command -v debootstrap >/dev/null || apt_install debootstrap
  ensure_builder_image &
  local builder=$!
  ensure_stack_images
  ensure_vm_images # on the Debian base the stacks made
  wait "$builder" || die "the builder image $BUILDER_IMAGE could not be made (see above)"
}

# The builder image every build runs in (config/builder/README.md): a debootstrap of Debian 13 with
# a newer buildah than the host's, in a user namespace of its own per tenant. Rebuilt only when its
# recipe (config/builder/*) or the host's extra certificate authorities change (their hash is a label
# of the image). Debian 13's packages go into the image only, never onto the host.
BUILDER_IMAGE=localhost/slipway/builder:1

ensure_builder_image() {
  local hash context rootfs started=$SECONDS
  hash="$(cd "$ROOT/config/builder" && cat packages storage.conf registries.conf subids slipway-build slipway-serve \
    /usr/local/share/ca-certificates/*.crt 2>/dev/null | sha256sum | cut -c1-16)"
  stack_image_current "$BUILDER_IMAGE" "$hash" && return
  command -v debootstrap >/dev/null || apt_install debootstrap
  [ "$(id -u)" = 0 ] || die "making $BUILDER_IMAGE with debootstrap needs root"
  say "making the builder image $BUILDER_IMAGE (debootstrap of Debian 13 from $(debian_mirror); a few minutes)"
  context="$(mktemp -d)"
  rootfs="$context/rootfs"
  debootstrap --variant=minbase --include="$(grep -v '^#' "$ROOT/config/builder/packages" | paste -sd,)" trixie "$rootfs" \
    "$(debian_mirror)" >"$LOGS/debootstrap-builder.log" 2>&1 ||
    die "debootstrap failed; see $LOGS/debootstrap-builder.log"
  install -m 644 "$ROOT/config/builder/storage.conf" "$rootfs/etc/containers/storage.conf"
  install -m 644 "$ROOT/config/builder/registries.conf" "$rootfs/etc/containers/registries.conf"
  install -m 644 "$ROOT/config/builder/subids" "$rootfs/etc/subuid"
  install -m 644 "$ROOT/config/builder/subids" "$rootfs/etc/subgid"
  install -m 755 "$ROOT/config/builder/slipway-build" "$rootfs/usr/local/bin/slipway-build"
  install -m 755 "$ROOT/config/builder/slipway-serve" "$rootfs/usr/local/bin/slipway-serve"
  mkdir -p "$rootfs/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$rootfs" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the builder image"
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"* "$rootfs/usr/share/doc/"* \
    "$rootfs/usr/share/man/"* "$rootfs/usr/share/locale/"*
  chmod 755 "$rootfs"
  tar -C "$rootfs" -c . | podman import -q --change "ENV=BUILDAH_ISOLATION=chroot" \
    --change "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL=io.slipway.stack.hash=$hash" - "$BUILDER_IMAGE" >/dev/null ||
    die "could not import $BUILDER_IMAGE"
  rm -rf "$context"
  say "builder image ready in $((SECONDS - started)) s"
}
