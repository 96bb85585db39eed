#!/usr/bin/env bash
# Makes sure a Docker engine answers, installing and starting one when none does.
# Idempotent: an engine that already answers (DOCKER_HOST respected) is left alone.
# CI runs this on a fresh Debian machine as root, so the install step lives here and not in
# anybody's memory of what was set up by hand.
set -euo pipefail

LOG_FILE="${MOOR_DOCKERD_LOG:-/var/log/moor-dockerd.log}"
WAIT_SECONDS="${MOOR_ENGINE_WAIT:-60}"

say() { printf 'engine-up: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

engine_answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "an engine already answers at ${DOCKER_HOST:-the default socket}"
  exit 0
fi

# A remote or non-default DOCKER_HOST means the user chose an engine; starting a local daemon
# would not make that one answer, so say so instead of guessing.
if [[ -n "${DOCKER_HOST:-}" && "${DOCKER_HOST}" != "unix:///var/run/docker.sock" ]]; then
  die "DOCKER_HOST=${DOCKER_HOST} does not answer; start that engine or unset DOCKER_HOST"
fi

if [[ "$(id -u)" != "0" ]]; then
  die "no engine answers and installing/starting dockerd needs root; run this script as root"
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  say "installing docker.io with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi

# dockerd writes its pid here; a live one that does not answer yet is still starting.
PID_FILE=/var/run/docker.pid
pid=""
if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  pid="$(cat "$PID_FILE")"
  say "dockerd (pid ${pid}) is running but does not answer yet; waiting for it"
else
  # overlay2 works on ext4 with the overlay module; vfs is the fallback that works anywhere
  # (slower, more disk). MOOR_STORAGE_DRIVER forces one.
  driver="${MOOR_STORAGE_DRIVER:-}"
  if [[ -z "$driver" ]]; then
    if grep -qw overlay /proc/filesystems 2>/dev/null || modprobe overlay 2>/dev/null; then
      driver=overlay2
    else
      driver=vfs
    fi
  fi
  mkdir -p "$(dirname "$LOG_FILE")"
  say "starting dockerd (storage driver ${driver}, log ${LOG_FILE})"
  # setsid detaches dockerd from this script's session so CI's step runner does not wait on it.
  setsid dockerd --storage-driver="$driver" >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
fi

show_log() {
  say "last lines of ${LOG_FILE}:"
  tail -n 20 "$LOG_FILE" >&2 || say "(no log at ${LOG_FILE})"
}

deadline=$((SECONDS + WAIT_SECONDS))
until engine_answers; do
  if ((SECONDS >= deadline)); then
    show_log
    die "dockerd did not answer within ${WAIT_SECONDS}s (see ${LOG_FILE})"
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    show_log
    die "dockerd exited while starting (see ${LOG_FILE})"
  fi
  sleep 0.5
done
say "engine ready: $(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}')"
