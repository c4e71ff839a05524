#!/usr/bin/env bash
# bench/control-plane-scale.sh: the control plane at scale, on loopback.
#
# Starts `kubemu up --runtime simulated` with 100 nodes (one kubelet process each) on free ports in
# a fresh temporary data dir, then runs io.kubemu.bench.ControlPlaneScale: one Deployment of 3,000
# pods, watched until all are Running and Ready. Prints the seconds until then, the scheduler's
# throughput (pods/s), p50/p99 pod startup latency, and the memory (RSS) of every process of the
# cluster, against the issue's goals. Everything is stopped when the script exits.
# Arguments are passed to the harness (--replicas N, --timeout SECONDS; --help lists them).
#
# Environment:
#   BENCH_NODES       nodes of the cluster (default 100)
#   BENCH_UP_ARGS     extra flags for kubemu up (e.g. --profile fast)
#   BENCH_JAVA_OPTS   JVM flags for the harness; default "-XX:+UseSerialGC -Xmx1g"
#   BENCH_KEEP_LOGS   a folder to copy the logs into before the temp folder goes
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bench=control-plane-scale
nodes="${BENCH_NODES:-100}"
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx1g}"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

ensure_built
log "kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); $nodes simulated nodes; load1 $(cut -d' ' -f1 /proc/loadavg)"
started=$SECONDS
# shellcheck disable=SC2086
start up "$repo/kubemu" up --runtime simulated --nodes "$nodes" --any-ports --data-dir "$work/cluster" ${BENCH_UP_ARGS:-}
until grep -q "the cluster is ready" "$work/up.log" 2>/dev/null; do
  check_alive
  if [ $((SECONDS - started)) -ge 900 ]; then log "the cluster was not ready within 900 s"; exit 1; fi
  sleep 1
done
server="$(sed -n 's/^ *server: //p' "$work/cluster/kubeconfig")"
log "the cluster is ready after $((SECONDS - started)) s; apiserver at $server"

# shellcheck disable=SC2086
run_harness java $bench_java_opts -Dkubemu.component=bench -Dkubemu.log=WARN \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.ControlPlaneScale \
  --server "$server" --cluster-pid "$(pid_of up)" "$@"
