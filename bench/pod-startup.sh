#!/usr/bin/env bash
# bench/pod-startup.sh: pod startup on real containers, against plain Docker.
#
# Starts `kubemu up --runtime docker --nodes 1` on free ports in a fresh temporary data dir, then
# runs io.kubemu.bench.PodStartup: 30 pods of a local busybox httpd image (made in Docker when
# missing; no registry is needed), each created once the one before is Running and Ready (or all at
# once: --creation all-at-once), each timed from its create call returning
# to a watch seeing it Running and Ready; then the same 30 pods' containers with plain Docker (a
# pause container on the cluster's network with an IP, then the app container joined to it), each
# pair timed. Prints p50/p99/max of both, their ratio, and the issue's goals. The pods, the plain
# Docker containers and the cluster are all removed when the script exits.
# Arguments are passed to the harness (--pods N, --creation all-at-once, --node node-1;
# --help lists them).
#
# Environment:
#   BENCH_UP_ARGS     extra flags for kubemu up (e.g. --profile fast)
#   BENCH_JAVA_OPTS   JVM flags for the harness; default "-XX:+UseSerialGC -Xmx512m"
#   BENCH_KEEP_LOGS   a folder to copy the logs into before the temp folder goes
#   DOCKER_HOST       the Docker Engine (default unix:///var/run/docker.sock), for the kubelet and the peer
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bench=pod-startup
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m}"
# One name per run for the pods' namespace and the plain Docker containers' label, so that what is
# removed at the end is this run's only, also on an engine other clusters share.
namespace="pod-startup-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

# Called by lib.sh's clean-up once the cluster is stopped: what an interrupted harness left in Docker.
bench_cleanup() {
  command -v docker >/dev/null 2>&1 || return 0
  local left
  left="$( (docker ps -aq --filter "label=io.kubemu.bench.peer=$namespace"
    docker ps -aq --filter "label=io.kubernetes.pod.namespace=$namespace") 2>/dev/null | sort -u)"
  # shellcheck disable=SC2086
  [ -z "$left" ] || docker rm -f $left >/dev/null 2>&1 || true
}

ensure_built
log "kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); 1 node on the Docker runtime;" \
  "namespace $namespace; load1 $(cut -d' ' -f1 /proc/loadavg)"
start_docker_cluster

# shellcheck disable=SC2086
run_harness "$java_bin" $bench_java_opts -Dkubemu.component=bench -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.PodStartup \
  --server "$server" --namespace "$namespace" "$@"
