#!/usr/bin/env bash
# bench/apiserver-load.sh: a bounded load on the apiserver, on loopback.
#
# Starts a 3-member kubemu store (./kubemu etcd-node) and the apiserver (./kubemu apiserver) as
# separate processes, in fresh temporary data folders, then runs io.kubemu.bench.ApiserverLoad:
# 50 clients creating, getting, patching and deleting pods while 500 watches on those pods are
# open, for a 10 s warm-up and 60 s measured. Prints requests/s, latency per verb, watch delivery
# latency, the apiserver's CPU and memory, and whether the issue's goals are met. Everything it
# started is stopped, by pid, on exit.
# Arguments are passed to the harness (e.g. --duration 15; --help lists them).
#
# Environment:
#   BENCH_DURATION, BENCH_WARMUP  measured and warm-up seconds (as --duration, --warmup)
#   KUBEMU_PEER_PORTS  peer ports of n1 n2 n3 (client port = peer port - 1); default "2380 22380 32380"
#   APISERVER_PORT     the apiserver's port; default 8080
#   KUBEMU_JAVA_OPTS   extra JVM flags for the members and the apiserver; %n becomes the process's
#                      name (n1, n2, n3, apiserver), e.g. -XX:StartFlightRecording=filename=/some/where/%n.jfr
#   KUBEMU_NODE_ARGS   extra flags for every store member
#   APISERVER_ARGS     extra flags for the apiserver
#   BENCH_JAVA_OPTS    JVM flags for the harness; default "-XX:+UseSerialGC -Xms256m -Xmx1g"
#   BENCH_KEEP_LOGS    a folder to copy the processes' logs into before the temp folder goes
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bench=apiserver-load
apiserver_port="${APISERVER_PORT:-8080}"
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx1g}"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

ensure_built
require_free_ports APISERVER_PORT "$apiserver_port"

start_kubemu_store
wait_for_ports 90 $(echo "$kubemu_endpoints" | tr ',' '\n' | sed 's/.*://')

java_opts="${KUBEMU_JAVA_OPTS:-}"
# shellcheck disable=SC2086
KUBEMU_JAVA_OPTS="${java_opts//%n/apiserver}" start apiserver \
  "$repo/kubemu" apiserver --etcd-servers "$kubemu_endpoints" --bind-address 127.0.0.1 --port "$apiserver_port" \
  ${APISERVER_ARGS:-}
log "kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); store at $kubemu_endpoints," \
  "apiserver at 127.0.0.1:$apiserver_port; data in $work"
wait_for_ports 120 "$apiserver_port"

# shellcheck disable=SC2086
run_harness "$java_bin" $bench_java_opts -Dkubemu.component=bench -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.ApiserverLoad \
  --server "http://127.0.0.1:$apiserver_port" --apiserver-pid "$(pid_of apiserver)" \
  --store-pids "$(pid_of n1),$(pid_of n2),$(pid_of n3)" "$@"
