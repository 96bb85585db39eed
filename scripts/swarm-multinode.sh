#!/usr/bin/env bash
# A multi-node Docker Swarm on one machine, for tests of placement and overlay traffic across
# nodes. Each node is its own dockerd in its own network namespace (and UTS namespace, so each
# has its own hostname), with its own data root, exec root, pid file and unix socket; the
# namespaces hang off one bridge by veth pairs, like machines on one LAN. The first node inits
# the swarm advertising its own address on that LAN, the others join it. The machine's own
# engine and its swarm are not touched.
#
#   sudo scripts/swarm-multinode.sh up [NODES]     # default 3; prints the env of the manager
#   sudo scripts/swarm-multinode.sh down           # stops the daemons, removes everything it made
#   scripts/swarm-multinode.sh status
#
# Node i: namespace ${PREFIX}i, hostname ${PREFIX}-n$i, address 10.213.0.i/24, socket
# /run/${PREFIX}/n$i.sock (the manager is node 1). Needs root, iproute2, dockerd, and a local
# image to copy into every node (MOOR_MULTINODE_IMAGES, default moor-test/busybox:latest): the
# nodes cannot pull. Environment: MOOR_MULTINODE_PREFIX (default moorsw), MOOR_MULTINODE_NET
# (the first three octets of the LAN, default 10.213.0).
set -euo pipefail

PREFIX="${MOOR_MULTINODE_PREFIX:-moorsw}"
NET="${MOOR_MULTINODE_NET:-10.213.0}"
RUN="/run/${PREFIX}"
DATA="/var/lib/${PREFIX}"
BRIDGE="${PREFIX}br"
IMAGES="${MOOR_MULTINODE_IMAGES:-moor-test/busybox:latest}"

log() { printf '%s\n' "swarm-multinode: $*" >&2; }
die() { log "$*"; exit 1; }
node_docker() { local i="$1"; shift; docker -H "unix://${RUN}/n${i}.sock" "$@"; }

nodes_made() {
  local n=0
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    case "$ns" in "${PREFIX}"[0-9]*) n=$((n + 1)) ;; esac
  done
  echo "$n"
}

down() {
  # Daemons first (each by its own pid file), then the namespaces, links and directories.
  for pidfile in "${RUN}"/n*.pid; do
    [ -e "$pidfile" ] || continue
    local pid
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  # Whatever mounts the daemons left under their roots.
  for root in "$DATA" "$RUN"; do
    [ -d "$root" ] || continue
    awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  done
  while iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT -m comment --comment "$PREFIX" 2>/dev/null; do :; done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    case "$ns" in "${PREFIX}"[0-9]*) ip netns del "$ns" 2>/dev/null || true ;; esac
  done
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    case "$link" in "${PREFIX}"h[0-9]* | "$BRIDGE") ip link del "$link" 2>/dev/null || true ;; esac
  done
  rm -rf "$DATA" "$RUN"
  for cg in /sys/fs/cgroup/"${PREFIX}"-n* /sys/fs/cgroup/*/"${PREFIX}"-n*; do [ -d "$cg" ] && rmdir "$cg" 2>/dev/null || true; done
}

up() {
  local count="${1:-3}"
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces, a bridge, dockerd)"
  for tool in ip dockerd docker unshare nsenter; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
  [ "$(nodes_made)" = 0 ] || die "nodes of ${PREFIX} exist already: run '$0 down' first"
  mkdir -p "$RUN" "$DATA"
  ip link add "$BRIDGE" type bridge
  ip addr add "${NET}.254/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Bridged frames pass the machine's FORWARD chain (br_netfilter), whose policy the machine's own
  # dockerd sets to DROP: let the nodes' LAN through, and only it.
  if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] && command -v iptables >/dev/null; then
    iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT -m comment --comment "$PREFIX"
  fi
  for i in $(seq 1 "$count"); do
    local ns="${PREFIX}${i}"
    ip netns add "$ns"
    ip link add "${PREFIX}h${i}" type veth peer name "${PREFIX}c${i}"
    ip link set "${PREFIX}h${i}" master "$BRIDGE" up
    ip link set "${PREFIX}c${i}" netns "$ns"
    ip -n "$ns" link set "${PREFIX}c${i}" name eth0
    ip -n "$ns" addr add "${NET}.${i}/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" route add default via "${NET}.254"
    mkdir -p "${DATA}/n${i}" "${RUN}/n${i}"
    # nsenter, not `ip netns exec`: that remounts /sys, and dockerd would find no cgroups there.
    # A UTS namespace too: Swarm names a node after its hostname (placement: node.hostname).
    nsenter --net="/run/netns/${ns}" unshare --uts sh -c "hostname ${PREFIX}-n${i} && exec dockerd \
        --data-root ${DATA}/n${i} --exec-root ${RUN}/n${i} --pidfile ${RUN}/n${i}.pid \
        -H unix://${RUN}/n${i}.sock --cgroup-parent /${PREFIX}-n${i} --storage-driver overlay2 \
        --default-address-pool base=10.215.${i}.0/24,size=28" >"${RUN}/n${i}.log" 2>&1 &
  done
  for i in $(seq 1 "$count"); do
    local ok=""
    for _ in $(seq 1 150); do
      if node_docker "$i" version >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.2
    done
    [ -n "$ok" ] || { tail -n 20 "${RUN}/n${i}.log" >&2; die "dockerd of node $i did not answer on ${RUN}/n${i}.sock"; }
  done
  for image in $IMAGES; do
    docker image inspect "$image" >/dev/null 2>&1 || die "image $image is not in the machine's engine"
    docker save "$image" >"${RUN}/image.tar"
    for i in $(seq 1 "$count"); do node_docker "$i" load -q -i "${RUN}/image.tar" >/dev/null; done
    rm -f "${RUN}/image.tar"
  done
  node_docker 1 swarm init --advertise-addr "${NET}.1" --default-addr-pool 10.214.0.0/16 >/dev/null
  local token
  token="$(node_docker 1 swarm join-token -q worker)"
  for i in $(seq 2 "$count"); do
    node_docker "$i" swarm join --token "$token" --advertise-addr "${NET}.${i}" "${NET}.1:2377" >/dev/null
  done
  # Every node ready, and each labelled zone=n<i> for placement tests.
  for _ in $(seq 1 150); do
    [ "$(node_docker 1 node ls --format '{{.Status}}' | grep -c '^Ready$')" = "$count" ] && break
    sleep 0.2
  done
  [ "$(node_docker 1 node ls --format '{{.Status}}' | grep -c '^Ready$')" = "$count" ] || die "not every node joined: $(node_docker 1 node ls)"
  for i in $(seq 1 "$count"); do node_docker 1 node update --label-add "zone=n${i}" "${PREFIX}-n${i}" >/dev/null; done
  log "$count nodes up; manager: DOCKER_HOST=unix://${RUN}/n1.sock"
  echo "DOCKER_HOST=unix://${RUN}/n1.sock"
}

status() {
  for i in $(seq 1 "$(nodes_made)"); do
    printf 'node %s: ' "$i"
    node_docker "$i" info --format '{{.Name}} {{.Swarm.LocalNodeState}} {{.Swarm.NodeAddr}}' 2>&1 || true
  done
}

case "${1:-}" in
  up)
    trap 'status=$?; if [ $status -ne 0 ]; then log "setting up failed: cleaning up"; down; fi' EXIT
    up "${2:-3}"
    trap - EXIT
    ;;
  down) down ;;
  status) status ;;
  *) die "usage: $0 up [NODES] | down | status" ;;
esac
