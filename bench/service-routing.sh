#!/usr/bin/env bash
# bench/service-routing.sh: kube-proxy's network programming latency, and what routing through a
# Service costs against sending to the pods directly.
#
# Starts `kubemu up --runtime docker --nodes 1` on free ports in a fresh temporary data dir (as root,
# so its kube-proxy runs in iptables mode), then runs io.kubemu.bench.ServiceRouting:
#   1. 100 Services of 10 endpoints each (selector-less, their EndpointSlices written by the harness;
#      the addresses take no traffic), then 120 endpoint changes arriving at random, 1/s on average,
#      each timed from its EndpointSlice update call to `iptables-save` first showing its DNAT;
#      p50/p99 against the goal (p99 <= 1 s), beside kube-proxy's own metrics.
#   2. A Deployment of 3 busybox httpd pods behind a Service; HTTP/1.0 GETs, a connection each, from 4
#      threads, in 5 rounds of 5 s per target: the pod IPs directly (the peer), the ClusterIP (iptables
#      DNAT), and a userspace-mode kube-proxy the harness starts. Medians and their ratios to the pod
#      IPs' against the goals (iptables >= 0.95, userspace >= 0.5).
# The namespace, its pods and the cluster are removed when the script exits; kube-proxy's rules with
# `kubemu kube-proxy --cleanup`.
# Arguments are passed to the harness (--services, --endpoints, --changes, --rate, --rounds,
# --seconds, --concurrency, --skip-programming, --skip-throughput; --help lists them).
#
# Environment:
#   BENCH_UP_ARGS     extra flags for kubemu up
#   BENCH_JAVA_OPTS   JVM flags for the harness; default "-XX:+UseSerialGC -Xmx512m"
#   BENCH_KEEP_LOGS   a folder to copy the logs into before the temp folder goes
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bench=service-routing
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m}"
namespace="service-routing-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

bench_cleanup() {
  "$repo/kubemu" kube-proxy --cleanup >/dev/null 2>&1 || true
  command -v docker >/dev/null 2>&1 || return 0
  local left
  left="$(docker ps -aq --filter "label=io.kubernetes.pod.namespace=$namespace" 2>/dev/null)"
  # shellcheck disable=SC2086
  [ -z "$left" ] || docker rm -f $left >/dev/null 2>&1 || true
}

if [ "$(id -u)" -ne 0 ] || ! command -v iptables-save >/dev/null 2>&1; then
  log "needs root and iptables: kube-proxy's iptables mode writes the rules this measures"
  exit 1
fi
ensure_built
log "kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); 1 node on the Docker runtime;" \
  "namespace $namespace; load1 $(cut -d' ' -f1 /proc/loadavg)"
start_docker_cluster
if ! grep -q "kube-proxy runs on node-1 in iptables mode" "$work/up.log"; then
  log "kube-proxy does not run in iptables mode; nothing to measure:"
  grep "kubemu:" "$work/up.log" >&2 || true
  exit 1
fi
metrics="$(sed -n 's|.*/metrics on \([0-9.]*:[0-9]*\).*|http://\1/metrics|p' "$work/cluster/logs/kube-proxy-node-1.log" | head -n 1)"
log "kube-proxy's metrics at ${metrics:-?}"

# shellcheck disable=SC2086
run_harness "$java_bin" $bench_java_opts -Dkubemu.component=bench -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.ServiceRouting \
  --server "$server" --namespace "$namespace" --launcher "$repo/kubemu" ${metrics:+--metrics-url "$metrics"} "$@"
