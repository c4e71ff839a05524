#!/usr/bin/env bash
# bench/store-vs-etcd.sh: kubemu's store against a real etcd, the same load from one harness.
#
# Starts a 3-member kubemu store (./kubemu etcd-node) and a 3-member etcd 3.4 (Debian's
# etcd-server) on loopback, each in fresh temporary data folders, runs
# io.kubemu.bench.StoreVsEtcd against both, and stops everything it started on exit.
# Arguments are passed to the harness (e.g. --duration 5 --warmup 2; --help lists them).
# The report goes to stdout; its last line is ratio_writes_64=<kubemu ops/s / etcd ops/s>.
#
# Environment:
#   KUBEMU_PEER_PORTS  peer ports of n1 n2 n3 (client port = peer port - 1); default "2380 22380 32380"
#   ETCD_CLIENT_PORTS  client ports of e1 e2 e3; default "12379 12479 12579"
#   ETCD_PEER_PORTS    peer ports of e1 e2 e3; default "12380 12480 12580"
#   KUBEMU_JAVA_OPTS   extra JVM flags for the kubemu members; %n becomes the member's name
#                      (e.g. -XX:StartFlightRecording=filename=/some/where/%n.jfr)
#   KUBEMU_NODE_ARGS   extra flags for every kubemu member (e.g. --snapshot-count 100000)
#   ETCD_ARGS          extra flags for every etcd member
#   BENCH_JAVA_OPTS    JVM flags for the harness; default "-XX:+UseSerialGC -Xms256m -Xmx1g"
#   BENCH_KEEP_LOGS    a folder to copy the members' logs into before the temp folder goes
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
kubemu_peer_ports=(${KUBEMU_PEER_PORTS:-2380 22380 32380})
etcd_client_ports=(${ETCD_CLIENT_PORTS:-12379 12479 12579})
etcd_peer_ports=(${ETCD_PEER_PORTS:-12380 12480 12580})
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx1g}"

log() { echo "store-vs-etcd: $*" >&2; }

# ---- what it needs: etcd and the built jars ----
if ! command -v etcd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "etcd is not installed; as root: apt-get install -y etcd-server etcd-client"
    exit 1
  fi
  log "installing Debian's etcd-server and etcd-client..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client) >&2
fi
bench_jar="$repo/bench/target/bench-0.1.0-SNAPSHOT.jar"
if [ ! -f "$bench_jar" ] || [ ! -d "$repo/bench/target/lib" ] || [ ! -f "$repo/cli/target/cli-0.1.0-SNAPSHOT.jar" ] \
    || [ ! -d "$repo/cli/target/lib" ]; then
  log "building kubemu and the harness (mvn -B -q package -DskipTests)..."
  (cd "$repo" && mvn -B -q package -DskipTests) >&2
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "${kubemu_peer_ports[@]}"; do
  for p in "$port" "$((port - 1))"; do
    if port_in_use "$p"; then log "port $p is in use; set KUBEMU_PEER_PORTS"; exit 1; fi
  done
done
for p in "${etcd_client_ports[@]}" "${etcd_peer_ports[@]}"; do
  if port_in_use "$p"; then log "port $p is in use; set ETCD_CLIENT_PORTS / ETCD_PEER_PORTS"; exit 1; fi
done

# ---- everything started below is stopped, by pid, on the way out ----
work="$(mktemp -d "${TMPDIR:-/tmp}/store-vs-etcd.XXXXXX")"
pids=()
# Running, not merely not yet reaped: a child that exited stays a zombie until we wait for it.
running() {
  command -v ps >/dev/null 2>&1 || { kill -0 "$1" 2>/dev/null; return; }
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" && [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do running "$pid" && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do { wait "$pid"; } 2>/dev/null || true; done
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
    mkdir -p "$BENCH_KEEP_LOGS" && cp "$work"/*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A member that dies before the harness is done ends the run with its log.
check_alive() {
  local i
  for i in "${!pids[@]}"; do
    if ! running "${pids[$i]}"; then
      log "${names[$i]} exited early; the end of its log:"
      tail -n 30 "$work/${names[$i]}.log" >&2 || true
      exit 1
    fi
  done
}
names=()

# ---- kubemu: three etcd-node members ----
kubemu_peers=""
kubemu_endpoints=""
for i in 0 1 2; do
  kubemu_peers+="${kubemu_peers:+,}n$((i + 1))=127.0.0.1:${kubemu_peer_ports[$i]}"
  kubemu_endpoints+="${kubemu_endpoints:+,}127.0.0.1:$((kubemu_peer_ports[$i] - 1))"
done
node_java_opts="${KUBEMU_JAVA_OPTS:-}"
for i in 0 1 2; do
  name="n$((i + 1))"
  KUBEMU_JAVA_OPTS="${node_java_opts//%n/$name}" \
    "$repo/kubemu" etcd-node --name "$name" --peers "$kubemu_peers" --data-dir "$work/$name" ${KUBEMU_NODE_ARGS:-} \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
done

# ---- etcd: three members ----
initial_cluster=""
etcd_endpoints=""
for i in 0 1 2; do
  initial_cluster+="${initial_cluster:+,}e$((i + 1))=http://127.0.0.1:${etcd_peer_ports[$i]}"
  etcd_endpoints+="${etcd_endpoints:+,}http://127.0.0.1:${etcd_client_ports[$i]}"
done
for i in 0 1 2; do
  name="e$((i + 1))"
  etcd --name "$name" --data-dir "$work/$name" \
    --listen-client-urls "http://127.0.0.1:${etcd_client_ports[$i]}" \
    --advertise-client-urls "http://127.0.0.1:${etcd_client_ports[$i]}" \
    --listen-peer-urls "http://127.0.0.1:${etcd_peer_ports[$i]}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer_ports[$i]}" \
    --initial-cluster "$initial_cluster" --initial-cluster-state new --initial-cluster-token kubemu-bench \
    --logger zap --log-outputs stderr ${ETCD_ARGS:-} \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
done

log "$(etcd --version | head -n 1); kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
log "kubemu members at $kubemu_endpoints, etcd members at $etcd_endpoints; data in $work"

# ---- wait until every member listens for clients (the harness waits for the leaders) ----
deadline=$((SECONDS + 90))
for port in $(echo "$kubemu_endpoints,$etcd_endpoints" | tr ',' '\n' | sed 's/.*://'); do
  until port_in_use "$port"; do
    check_alive
    if [ "$SECONDS" -ge "$deadline" ]; then log "nothing listens on $port after 90 s"; exit 1; fi
    sleep 0.2
  done
done

# ---- the harness ----
# shellcheck disable=SC2086
java $bench_java_opts -Dkubemu.component=bench -Dkubemu.log=WARN \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.StoreVsEtcd \
  --kubemu-endpoints "$kubemu_endpoints" --etcd-endpoints "$etcd_endpoints" \
  --kubemu-pids "${pids[0]},${pids[1]},${pids[2]}" --etcd-pids "${pids[3]},${pids[4]},${pids[5]}" "$@" &
harness=$!
pids+=("$harness")
names+=("harness")
set +e
wait "$harness"
status=$?
set -e
check_alive_members() {
  local i
  for i in "${!pids[@]}"; do
    [ "${names[$i]}" = harness ] && continue
    running "${pids[$i]}" || log "warning: ${names[$i]} was no longer running at the end (see BENCH_KEEP_LOGS)"
  done
}
check_alive_members
exit "$status"
