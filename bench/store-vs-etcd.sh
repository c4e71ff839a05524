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
bench=store-vs-etcd
etcd_client_ports=(${ETCD_CLIENT_PORTS:-12379 12479 12579})
etcd_peer_ports=(${ETCD_PEER_PORTS:-12380 12480 12580})
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx1g}"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

# ---- what it needs: etcd and the built jars ----
if ! command -v etcd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "etcd is not installed; as root: apt-get install -y etcd-server etcd-client"
    exit 1
  fi
  log "installing Debian's etcd-server and etcd-client..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client) >&2
fi
ensure_built
require_free_ports "ETCD_CLIENT_PORTS / ETCD_PEER_PORTS" "${etcd_client_ports[@]}" "${etcd_peer_ports[@]}"

# ---- kubemu: three etcd-node members ----
start_kubemu_store

# ---- etcd: three members ----
initial_cluster=""
etcd_endpoints=""
for i in 0 1 2; do
  initial_cluster+="${initial_cluster:+,}e$((i + 1))=http://127.0.0.1:${etcd_peer_ports[$i]}"
  etcd_endpoints+="${etcd_endpoints:+,}http://127.0.0.1:${etcd_client_ports[$i]}"
done
for i in 0 1 2; do
  name="e$((i + 1))"
  start "$name" etcd --name "$name" --data-dir "$work/$name" \
    --listen-client-urls "http://127.0.0.1:${etcd_client_ports[$i]}" \
    --advertise-client-urls "http://127.0.0.1:${etcd_client_ports[$i]}" \
    --listen-peer-urls "http://127.0.0.1:${etcd_peer_ports[$i]}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer_ports[$i]}" \
    --initial-cluster "$initial_cluster" --initial-cluster-state new --initial-cluster-token kubemu-bench \
    --logger zap --log-outputs stderr ${ETCD_ARGS:-}
done

log "$(etcd --version | head -n 1); kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
log "kubemu members at $kubemu_endpoints, etcd members at $etcd_endpoints; data in $work"

# ---- wait until every member listens for clients (the harness waits for the leaders) ----
wait_for_ports 90 $(echo "$kubemu_endpoints,$etcd_endpoints" | tr ',' '\n' | sed 's/.*://')

# ---- the harness ----
# shellcheck disable=SC2086
run_harness "$java_bin" $bench_java_opts -Dkubemu.component=bench -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.StoreVsEtcd \
  --kubemu-endpoints "$kubemu_endpoints" --etcd-endpoints "$etcd_endpoints" \
  --kubemu-pids "$(pid_of n1),$(pid_of n2),$(pid_of n3)" --etcd-pids "$(pid_of e1),$(pid_of e2),$(pid_of e3)" "$@"
