#!/usr/bin/env bash
# Makes Podman's Docker-compatible API answer on a socket of its own, so the test suite can run
# moor against Podman as well as Docker. Idempotent. Needs root to install and configure; without
# root (and without a running service) it says so and exits 0: the Podman tests then skip, except
# under CI=true, where they fail instead.
set -euo pipefail

SOCK="${MOOR_PODMAN_SOCK:-/run/moor-podman.sock}"
LOG_FILE="${MOOR_PODMAN_LOG:-/var/log/moor-podman.log}"
IMAGE="moor-test/busybox:latest"

say() { printf 'podman-up: %s\n' "$*" >&2; }
answers() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://podman/_ping >/dev/null 2>&1; }

# A container started through the API, as moor starts one (create, start, remove): a service that
# has run for long can still answer /_ping and yet fail every start ("write child: broken pipe").
starts() {
  local id code
  id="$(curl -fsS --max-time 10 --unix-socket "$SOCK" -H 'Content-Type: application/json' \
    -d "{\"Image\":\"${IMAGE}\",\"Cmd\":[\"true\"],\"Labels\":{\"dev.moor.podman-up\":\"check\"}}" \
    http://podman/v1.41/containers/create | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')" || return 1
  [[ -n "$id" ]] || return 1
  code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 --unix-socket "$SOCK" -X POST "http://podman/v1.41/containers/${id}/start")" || code=000
  curl -sS -o /dev/null --max-time 10 --unix-socket "$SOCK" -X DELETE "http://podman/v1.41/containers/${id}?force=1" || true
  [[ "$code" == 204 ]]
}

start_service() {
  rm -f "$SOCK"
  nohup podman system service --time=0 "unix://${SOCK}" >>"$LOG_FILE" 2>&1 &
  for _ in $(seq 1 60); do answers && break; sleep 0.5; done
  answers || { say "error: podman system service did not answer at ${SOCK}; see ${LOG_FILE}"; exit 1; }
}

if answers; then
  say "Podman answers at unix://${SOCK}"
else
  if [[ "$(id -u)" != "0" ]]; then
    say "not root and no Podman service at ${SOCK}: the Podman tests will skip (CI=true makes them fail)"
    exit 0
  fi
  if ! command -v podman >/dev/null 2>&1; then
    say "installing podman with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq podman >/dev/null
  fi
  # Podman asks for rlimits above what a VM's root may set (nofile 1048576, nproc): runc then
  # refuses every container ("error setting rlimit type 7"). A drop-in of our own sets values
  # any root can; the user's containers.conf stays untouched.
  mkdir -p /etc/containers/containers.conf.d
  conf=/etc/containers/containers.conf.d/moor-ulimits.conf
  [[ -f "$conf" ]] || printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n' > "$conf"
  start_service
  say "Podman answers at unix://${SOCK}"
fi

# The tests' base image, copied from Docker's store (nothing can be pulled here).
if ! podman image exists "$IMAGE" 2>/dev/null; then
  docker image inspect "$IMAGE" >/dev/null 2>&1 || { say "error: ${IMAGE} is not on Docker either: run scripts/build-images.sh first"; exit 1; }
  docker save "$IMAGE" | podman load >/dev/null
  say "loaded ${IMAGE} into Podman"
fi

if ! starts; then
  [[ "$(id -u)" == "0" ]] || { say "error: Podman answers but cannot start a container, and restarting its service needs root"; exit 1; }
  say "Podman answers but cannot start a container: restarting its service"
  pkill -f "podman system service --time=0 unix://${SOCK}" || true
  for _ in $(seq 1 40); do pgrep -f "podman system service --time=0 unix://${SOCK}" >/dev/null || break; sleep 0.25; done
  start_service
  starts || { say "error: Podman's service still cannot start a container; see ${LOG_FILE}"; exit 1; }
fi
say "Podman starts containers"
