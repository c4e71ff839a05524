#!/usr/bin/env bash
# bench/control-plane-scale.sh: the control plane at scale, on loopback.
#
# Starts `kubemu up --runtime simulated` with 100 nodes (one kubelet process) on free ports in
# a fresh temporary data dir, then runs io.kubemu.bench.ControlPlaneScale: one Deployment of 3,000
# pods, watched until all are Running and Ready. Prints the seconds until then, the scheduler's
# throughput (pods/s), p50/p99 pod startup latency, and the memory (RSS) of every process of the
# cluster, against the issue's goals. Everything is stopped when the script exits.
# Arguments are passed to the harness (--replicas N, --timeout SECONDS, --rounds N: that many
# Deployments one after the other, the first on the cluster as started, the next on its warm JVMs;
# --help lists them).
#
# Environment:
#   BENCH_NODES       nodes of the cluster (default 100)
#   BENCH_NODES_PER_KUBELET  simulated nodes per kubelet process (default 100: one process for
#                     the default cluster, as kwok runs all its nodes in one. The kubelets stand
#                     for node machines of their own; every kubelet JVM here compiles, collects
#                     and wakes its threads on the control plane's two cores: four processes of
#                     25 nodes took twice the CPU of one of 100 for the same pods, see
#                     bench/README.md)
#   BENCH_CLIENT_QPS  --kube-api-qps of the controller-manager and the scheduler (default 500,
#                     burst twice that; Kubernetes' defaults of 20 and 50 would cap the run at
#                     20 pod creates/s and 50 binds/s, as they do on a real cluster)
#   BENCH_UP_ARGS     extra flags for kubemu up (e.g. --profile fast)
#   KUBEMU_JAVA_OPTS  JVM flags added to every component's (default here "-XX:MinHeapFreeRatio=70
#                     -XX:MaxHeapFreeRatio=90 -XX:NewRatio=2 -XX:CompileThresholdScaling=0.5": room to
#                     allocate under load, and code compiled sooner. The launcher keeps each heap
#                     tight for a small idle footprint, 20-40 % free after a collection and a fifth of
#                     it young, which under this load made garbage collection a sixth of the
#                     cluster's CPU; a heap that grows to 70 % free reaches its size in fewer full
#                     collections. Its JVMs compile with C1 alone, a method once it ran 200 times (fewer
#                     with loops): in a first round much of the cluster's code is still interpreted
#                     for its first hundreds of calls. At half those thresholds a first round bound
#                     325 pods/s instead of 297.5 (medians of twelve pairs), see bench/README.md; " " for
#                     the launcher's own)
#   BENCH_JAVA_OPTS   JVM flags for the harness; default "-XX:+UseSerialGC -Xmx1g -XX:TieredStopAtLevel=1"
#                     (C1 only: the harness shares the cores, and C2 made its first round cost 10 CPU s)
#   BENCH_KEEP_LOGS   a folder to copy the logs into before the temp folder goes
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bench=control-plane-scale
nodes="${BENCH_NODES:-100}"
per_kubelet="${BENCH_NODES_PER_KUBELET:-100}"
qps="${BENCH_CLIENT_QPS:-500}"
cidr=10.42.0.0/16
[ "$nodes" -gt 256 ] && cidr=10.64.0.0/10 # a /16 holds only 256 nodes' /24s
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx1g -XX:TieredStopAtLevel=1}"
export KUBEMU_JAVA_OPTS="${KUBEMU_JAVA_OPTS:--XX:MinHeapFreeRatio=70 -XX:MaxHeapFreeRatio=90 -XX:NewRatio=2 -XX:CompileThresholdScaling=0.5}"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

ensure_built
log "kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); $nodes simulated nodes," \
  "$per_kubelet per kubelet process; controller-manager and scheduler at $qps qps; $(jdk_version); $(class_archives);" \
  "KUBEMU_JAVA_OPTS '$KUBEMU_JAVA_OPTS'; load1 $(cut -d' ' -f1 /proc/loadavg)"
started=$SECONDS
# shellcheck disable=SC2086
start up "$repo/kubemu" up --runtime simulated --nodes "$nodes" --nodes-per-kubelet "$per_kubelet" --any-ports \
  --data-dir "$work/cluster" --cluster-cidr "$cidr" \
  --kube-controller-manager-arg=--kube-api-qps="$qps" --kube-controller-manager-arg=--kube-api-burst=$((qps * 2)) \
  --kube-scheduler-arg=--kube-api-qps="$qps" --kube-scheduler-arg=--kube-api-burst=$((qps * 2)) ${BENCH_UP_ARGS:-}
until grep -q "the cluster is ready" "$work/up.log" 2>/dev/null; do
  check_alive
  if [ $((SECONDS - started)) -ge 900 ]; then log "the cluster was not ready within 900 s"; exit 1; fi
  sleep 1
done
server="$(sed -n 's/^ *server: //p' "$work/cluster/kubeconfig")"
log "the cluster is ready after $((SECONDS - started)) s; apiserver at $server"

# shellcheck disable=SC2086
run_harness "$java_bin" $bench_java_opts -Dkubemu.component=bench -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.ControlPlaneScale \
  --server "$server" --cluster-pid "$(pid_of up)" "$@"
