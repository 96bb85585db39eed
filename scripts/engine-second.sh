#!/usr/bin/env bash
# A second, private Docker engine beside the shared one, for tests that must stop or kill the
# daemon (an engine restarted in the middle of `up`) without disturbing anybody else's.
#
#   scripts/engine-second.sh start     start it (idempotent) and load the test image into it
#   scripts/engine-second.sh kill      SIGKILL dockerd, as a crash would (its containerd lives on)
#   scripts/engine-second.sh stop      stop it (dockerd, then its containerd); its data is kept
#   scripts/engine-second.sh host      print its DOCKER_HOST
#
# Everything it owns is its own: data root, exec root (and so its containerd, runc state and
# network namespaces), pid file, socket, cgroup parent, and its own network namespace
# (`ip netns` ${NAME}): its bridges and links never meet the host's. That matters: a dockerd
# started with `--bridge none` in the host's namespace deletes the host's docker0, under the
# shared engine's feet. It has no default bridge, takes its networks' subnets from 10.222.0.0/16
# and leaves iptables, masquerading and ip_forward alone. The socket is a file: reachable from the
# host's namespace. Needs root.
set -euo pipefail

NAME="${MOOR_SECOND_NAME:-moor-second}"
SOCK="/run/${NAME}.sock"
HOST="unix://${SOCK}"
DATA_ROOT="/var/lib/${NAME}"
EXEC_ROOT="/run/${NAME}"
PID_FILE="/run/${NAME}.pid"
LOG_FILE="${MOOR_SECOND_LOG:-/var/log/${NAME}.log}"
POOL="${MOOR_SECOND_POOL:-10.222.0.0/16}"
WAIT_SECONDS="${MOOR_ENGINE_WAIT:-60}"
NETNS="${NAME}"
# The one image the tests that use this engine run; taken from the shared engine, never pulled.
IMAGES=("${MOOR_SECOND_IMAGES:-moor-test/busybox:latest}")

# Plain `docker` calls here mean the shared engine: a DOCKER_HOST pointing at this one (left
# exported by whoever used it) would make them ask the wrong daemon.
if [[ "${DOCKER_HOST:-}" == "$HOST" ]]; then unset DOCKER_HOST; fi

say() { printf 'engine-second: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

answers() { docker -H "$HOST" info >/dev/null 2>&1; }
# A process just killed is a zombie until reaped, and `kill -0` still finds it: not alive.
alive() { [[ -r "/proc/$1/status" ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
pid_in() { [[ -f "$1" ]] && alive "$(cat "$1")" && cat "$1"; }
daemon_pid() { pid_in "$PID_FILE"; }
containerd_pid() { pid_in "${EXEC_ROOT}/containerd/containerd.pid"; }

show_log() {
  say "last lines of ${LOG_FILE}:"
  tail -n 20 "$LOG_FILE" >&2 || say "(no log at ${LOG_FILE})"
}

wait_until_answers() { # pid
  local deadline=$((SECONDS + WAIT_SECONDS))
  until answers; do
    if ((SECONDS >= deadline)); then show_log; die "dockerd did not answer at ${HOST} within ${WAIT_SECONDS}s"; fi
    if ! alive "$1"; then show_log; die "dockerd exited while starting (see ${LOG_FILE})"; fi
    sleep 0.3
  done
}

wait_gone() { # pid seconds
  local deadline=$((SECONDS + $2))
  while alive "$1"; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.2
  done
}

start() {
  [[ "$(id -u)" == "0" ]] || die "starting a second dockerd needs root"
  command -v dockerd >/dev/null || die "dockerd is not installed (scripts/engine-up.sh installs it)"
  local pid
  if answers; then
    say "already answering at ${HOST}"
  else
    if pid="$(daemon_pid)"; then
      say "dockerd (pid ${pid}) is running but does not answer yet; waiting for it"
    else
      local driver="${MOOR_STORAGE_DRIVER:-}"
      if [[ -z "$driver" ]]; then
        driver="$(docker info --format '{{.Driver}}' 2>/dev/null || true)"
        [[ -n "$driver" ]] || driver=vfs
      fi
      # dockerd refuses a pid file whose process still exists, a killed one's zombie included.
      if [[ -f "$PID_FILE" ]]; then
        local old deadline=$((SECONDS + 10))
        old="$(cat "$PID_FILE")"
        while [[ -e "/proc/${old}" ]] && ((SECONDS < deadline)); do sleep 0.1; done
      fi
      mkdir -p "$DATA_ROOT" "$EXEC_ROOT" "$(dirname "$LOG_FILE")"
      if [[ ! -e "/run/netns/${NETNS}" ]]; then
        ip netns add "$NETNS" || die "cannot make the network namespace ${NETNS}"
      fi
      # nsenter, not `ip netns exec`: that one remounts /sys, and dockerd then finds no cgroups.
      nsenter --net="/run/netns/${NETNS}" ip link set lo up
      # An empty config file: /etc/docker/daemon.json belongs to the shared engine.
      printf '{}\n' >"${EXEC_ROOT}/daemon.json"
      say "starting dockerd at ${HOST} (storage driver ${driver}, data ${DATA_ROOT}, log ${LOG_FILE})"
      setsid nsenter --net="/run/netns/${NETNS}" dockerd \
        --config-file "${EXEC_ROOT}/daemon.json" \
        --host "$HOST" \
        --data-root "$DATA_ROOT" \
        --exec-root "$EXEC_ROOT" \
        --pidfile "$PID_FILE" \
        --storage-driver "$driver" \
        --bridge none \
        --iptables=false \
        --ip-masq=false \
        --ip-forward=false \
        --default-address-pool "base=${POOL},size=24" \
        --cgroup-parent "/${NAME}" \
        >>"$LOG_FILE" 2>&1 </dev/null &
      pid=$!
    fi
    wait_until_answers "$pid"
  fi
  local image
  for image in "${IMAGES[@]}"; do
    if docker -H "$HOST" image inspect "$image" >/dev/null 2>&1; then continue; fi
    docker image inspect "$image" >/dev/null 2>&1 || die "${image} is not on the shared engine either: run scripts/build-images.sh"
    say "loading ${image} from the shared engine"
    docker save "$image" | docker -H "$HOST" load >/dev/null || die "loading ${image} failed"
  done
  say "ready: DOCKER_HOST=${HOST} ($(docker -H "$HOST" version --format 'server {{.Server.Version}}'))"
}

kill_daemon() {
  local pid
  if ! pid="$(daemon_pid)"; then say "not running"; return 0; fi
  kill -KILL "$pid"
  wait_gone "$pid" 10 || die "dockerd (pid ${pid}) survived SIGKILL"
  say "killed dockerd (pid ${pid}); its containerd and containers live on until the next start"
}

stop() {
  local pid
  if pid="$(daemon_pid)"; then
    kill -TERM "$pid"
    # dockerd stops its containers first (15 s each at most), then its containerd.
    if ! wait_gone "$pid" 60; then
      say "dockerd (pid ${pid}) did not stop within 60s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || true
    fi
  fi
  # After a `kill` (or a SIGKILLed stop), the orphaned containerd is still ours to end.
  if pid="$(containerd_pid)"; then
    kill -TERM "$pid"
    wait_gone "$pid" 20 || kill -KILL "$pid" 2>/dev/null || true
  fi
  # An engine stopped mid-start can leave shims (and the processes of tasks it never recorded)
  # behind, and they outlive containerd. They are this engine's alone: its shims name its
  # containerd's address, its containers live under its cgroup parent. Killed by pid.
  local pids=() f cmd pid
  for f in /sys/fs/cgroup/*/"${NAME}"/*/cgroup.procs /sys/fs/cgroup/"${NAME}"/*/cgroup.procs; do
    [[ -r "$f" ]] && while read -r pid; do pids+=("$pid"); done <"$f"
  done
  for f in /proc/[0-9]*/cmdline; do
    cmd="$(tr '\0' ' ' <"$f" 2>/dev/null || true)"
    if [[ "$cmd" == *containerd-shim*"-address ${EXEC_ROOT}/containerd/containerd.sock"* ]]; then
      pid="${f#/proc/}"
      pids+=("${pid%/cmdline}")
    fi
  done
  if ((${#pids[@]} > 0)); then
    say "ending ${#pids[@]} leftover process(es) of this engine's containers and shims"
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.5
    # Empty cgroups of its containers, deepest first (best effort).
    find /sys/fs/cgroup -depth -type d -path "*/${NAME}*" -exec rmdir {} + 2>/dev/null || true
  fi
  rm -f "$SOCK"
  if [[ -e "/run/netns/${NETNS}" ]]; then ip netns del "$NETNS" 2>/dev/null || true; fi
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  kill) kill_daemon ;;
  stop) stop ;;
  host) printf '%s\n' "$HOST" ;;
  *) die "usage: $0 start|kill|stop|host" ;;
esac
