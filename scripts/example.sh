#!/usr/bin/env bash
# The README's first command: from a fresh Debian machine (as root) to an example answering over
# HTTP. Starts a local engine when none answers, builds the base images (no registry needed),
# builds moor when dist/ is missing or older than its sources, brings examples/NAME up with
# `moor up -d --wait`, shows `moor ps`, asks the app over HTTP and says how to bring it down.
#
#   bash scripts/example.sh              # examples/flask-redis
#   bash scripts/example.sh multi-tier   # any directory of examples/
#
# Idempotent: run it again and the project is reconciled, not duplicated.
set -euo pipefail

NAME="${1:-flask-redis}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/examples/$NAME"

say() { printf 'example: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ -f "$DIR/compose.yaml" ]] || die "no example ${NAME}; choose one of: $(cd "$ROOT/examples" && ls -d -- */ | tr -d / | tr '\n' ' ')"

# Node.js 20+ runs moor; say so plainly rather than fail inside npm.
command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is needed (https://nodejs.org/), and none is on PATH"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || die "Node.js 20 or newer is needed; this one is $(node --version)"

bash "$ROOT/scripts/engine-up.sh"
bash "$ROOT/scripts/build-images.sh"

cd "$ROOT"
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund >/dev/null
fi
# Stale: any source, schema or build input newer than the CLI entry point.
if [[ ! -f dist/cli/main.js ]] || [[ -n "$(find src schemas scripts/build-schema.mjs tsconfig.json tsconfig.build.json package.json -newer dist/cli/main.js -print -quit 2>/dev/null)" ]]; then
  say "building moor (npm run build)"
  npm run build >/dev/null
fi

# The local base images scripts/build-images.sh made, in place of Docker Hub's.
export PYTHON_IMAGE="${PYTHON_IMAGE:-moor-examples/python:3}"
export REDIS_IMAGE="${REDIS_IMAGE:-moor-examples/redis:7}"
export NODE_IMAGE="${NODE_IMAGE:-moor-examples/node:20}"
export NGINX_IMAGE="${NGINX_IMAGE:-moor-examples/nginx:1}"
export BUSYBOX_IMAGE="${BUSYBOX_IMAGE:-moor-test/busybox:latest}"

moor() { node "$ROOT/bin/moor.js" "$@"; }

# What to ask the example once it is up: a URL, or a command for the ones without HTTP.
url=""
case "$NAME" in
  flask-redis) url="http://localhost:${WEB_PORT:-5000}/" ;;
  node-redis) url="http://localhost:${NODE_PORT:-8080}/" ;;
  multi-tier) url="http://localhost:${PROXY_PORT:-8000}/api/jobs" ;;
  bind-live) url="http://localhost:${SITE_PORT:-8081}/" ;;
  scaled) ports="${HELLO_PORTS:-9001-9003}"; url="http://localhost:${ports%%-*}/" ;;
esac

cd "$DIR"
say "bringing examples/${NAME} up: moor up -d --wait"
moor up -d --wait
echo
moor ps
echo

if [[ -n "$url" ]]; then
  say "asking ${url}"
  # A server can be running a moment before it listens: retry refused connections briefly.
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --retry 20 --retry-delay 1 --retry-connrefused --max-time 10 "$url"
  else
    node -e '
      const url = process.argv[1];
      (async () => {
        for (let i = 0; ; i++) {
          try { const r = await fetch(url); process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1); }
          catch (e) { if (i >= 20) { console.error(String(e)); process.exit(1); } await new Promise((r) => setTimeout(r, 1000)); }
        }
      })();' "$url"
  fi
  echo
else
  say "what it printed: moor logs"
  moor logs
fi

cat <<EOF

examples/${NAME} is up. From ${DIR}:
  moor ps                    # what runs
  moor logs -f               # follow its output
  moor down                  # stop and remove it (named volumes stay; 'moor down -v' removes them too)
(here 'moor' is 'node ${ROOT}/bin/moor.js', or run 'npm link' once in ${ROOT})
EOF
