#!/usr/bin/env bash
# Builds the base images moor's tests and examples run on, with no image registry: root
# filesystems come from Debian packages and enter the engine through `docker import`.
#
#   moor-test/busybox:latest     busybox-static with every applet installed (sh, sleep, wget, nc, httpd…)
#   moor-examples/base:bookworm  one debootstrap minbase tree with python3 + flask + redis client,
#                                redis-server, nginx-light and nodejs (one tree: one download, one import)
#   moor-examples/python:3       base, CMD python3
#   moor-examples/redis:7        base, redis-server in /data, reachable from other containers
#   moor-examples/nginx:1        base, nginx in the foreground serving conf.d/*.conf, logs to stdout/stderr
#   moor-examples/node:20        base, CMD node (the node inside is Debian bookworm's nodejs; the tag
#                                is the name the examples ask for, see docs/engine.md)
#
# Idempotent: an image whose org.moor.recipe label equals the recipe below is kept. Change a
# recipe's version whenever its contents change so every machine rebuilds it.
set -euo pipefail

BUSYBOX_RECIPE="busybox-1"
EXAMPLES_RECIPE="examples-1"
RECIPE_LABEL="org.moor.recipe"
WORK_DIR="${MOOR_IMAGE_WORKDIR:-/var/tmp/moor-images}"

say() { printf 'build-images: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

docker info >/dev/null 2>&1 || die "no engine answers; run scripts/engine-up.sh first"

# The classic builder is what the engine here offers (no BuildKit); newer CLIs must be told.
export DOCKER_BUILDKIT=0

has_recipe() { # image recipe
  local got
  got="$(docker image inspect --format "{{ index .Config.Labels \"${RECIPE_LABEL}\" }}" "$1" 2>/dev/null || true)"
  [[ "$got" == "$2" ]]
}

apt_install() { # packages…
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]} == 0)) && return 0
  [[ "$(id -u)" == "0" ]] || die "need root to install ${missing[*]}"
  say "installing ${missing[*]} with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The Debian mirror this machine's apt already uses, so the images come from the same place
# as every other package here. MOOR_DEBIAN_MIRROR overrides it.
debian_mirror() {
  if [[ -n "${MOOR_DEBIAN_MIRROR:-}" ]]; then echo "$MOOR_DEBIAN_MIRROR"; return; fi
  local uri
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')"
  if [[ -z "$uri" ]]; then
    uri="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$0 !~ /security/ && $0 ~ /debian/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }')"
  fi
  [[ -n "$uri" ]] || die "cannot find a Debian mirror in /etc/apt; set MOOR_DEBIAN_MIRROR"
  echo "$uri"
}

# Derived images differ from their base only in config (CMD, WORKDIR…), so a Dockerfile with
# no context makes them in a second without copying the root filesystem again.
derive() { # tag dockerfile-body
  # Newer CLIs print a deprecation notice for the classic builder; show the output only on failure.
  local out
  out="$(printf 'FROM moor-examples/base:bookworm\nLABEL %s=%s\n%s\n' "$RECIPE_LABEL" "$EXAMPLES_RECIPE" "$2" \
    | docker build -q -t "$1" - 2>&1)" || { printf '%s\n' "$out" >&2; die "building $1 failed"; }
  say "built $1"
}

build_busybox() {
  local tag="moor-test/busybox:latest"
  if has_recipe "$tag" "$BUSYBOX_RECIPE"; then say "$tag is current"; return; fi
  apt_install busybox-static
  local root="$WORK_DIR/busybox-root"
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/www,data}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  # --install -s puts each applet's symlink in its usual directory (/bin/sh, /usr/bin/wget…).
  chroot "$root" /bin/busybox --install -s \
    || die "/bin/busybox does not run alone in an empty root; it must be busybox-static's binary"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" --numeric-owner -c . | docker import \
    --change "LABEL ${RECIPE_LABEL}=${BUSYBOX_RECIPE}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["sh"]' - "$tag" >/dev/null
  rm -rf "$root"
  say "built $tag"
}

build_examples() {
  local base="moor-examples/base:bookworm" rebuilt=0
  if has_recipe "$base" "$EXAMPLES_RECIPE"; then
    say "$base is current"
  else
    apt_install debootstrap debian-archive-keyring
    local root="$WORK_DIR/bookworm-root" mirror
    mirror="$(debian_mirror)"
    rm -rf "$root"
    mkdir -p "$WORK_DIR"
    say "debootstrap bookworm from ${mirror} (about a minute)"
    # --include resolves dependencies (not recommends), which keeps the tree small.
    debootstrap --variant=minbase \
      --include=python3,python3-flask,python3-redis,redis-server,nginx-light,nodejs \
      bookworm "$root" "$mirror" >"$WORK_DIR/debootstrap.log" 2>&1 \
      || { tail -n 30 "$WORK_DIR/debootstrap.log" >&2; die "debootstrap failed (log: $WORK_DIR/debootstrap.log)"; }
    # Caches and docs only cost import time and disk in every CI run.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
      "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log \
      "$root"/var/cache/debconf/*-old
    # nginx as the official image behaves: conf.d/*.conf is the site, logs go to the container's output.
    rm -f "$root/etc/nginx/sites-enabled/default"
    mkdir -p "$root/usr/share/nginx/html" "$root/etc/nginx/conf.d" "$root/data"
    cat >"$root/etc/nginx/conf.d/default.conf" <<'NGINX'
server {
    listen 80;
    root /usr/share/nginx/html;
}
NGINX
    echo '<p>moor-examples/nginx</p>' >"$root/usr/share/nginx/html/index.html"
    ln -sf /dev/stdout "$root/var/log/nginx/access.log"
    ln -sf /dev/stderr "$root/var/log/nginx/error.log"
    # Without a config file redis-server starts in protected mode and refuses other containers;
    # like the official image, turn that off when the command is redis-server and no file is given.
    cat >"$root/usr/local/bin/redis-entrypoint" <<'SH'
#!/bin/sh
if [ "$1" = "redis-server" ]; then
  case "${2:-}" in
    ""|--*) shift; set -- redis-server "$@" --protected-mode no ;;
  esac
fi
exec "$@"
SH
    chmod 755 "$root/usr/local/bin/redis-entrypoint"
    tar -C "$root" --numeric-owner -c . | docker import \
      --change "LABEL ${RECIPE_LABEL}=${EXAMPLES_RECIPE}" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["bash"]' - "$base" >/dev/null
    rm -rf "$root"
    rebuilt=1
    say "built $base"
  fi
  # A new base makes every derived image stale, whatever its label says.
  derive_if_needed() { # tag dockerfile-body
    if ((rebuilt == 0)) && has_recipe "$1" "$EXAMPLES_RECIPE"; then say "$1 is current"; else derive "$1" "$2"; fi
  }
  derive_if_needed moor-examples/python:3 $'ENV PYTHONUNBUFFERED=1\nCMD ["python3"]'
  derive_if_needed moor-examples/redis:7 $'WORKDIR /data\nEXPOSE 6379\nENTRYPOINT ["redis-entrypoint"]\nCMD ["redis-server"]'
  derive_if_needed moor-examples/nginx:1 $'EXPOSE 80\nSTOPSIGNAL SIGQUIT\nCMD ["nginx", "-g", "daemon off;"]'
  derive_if_needed moor-examples/node:20 $'CMD ["node"]'
}

started=$SECONDS
build_busybox
build_examples
say "images ready in $((SECONDS - started))s"
