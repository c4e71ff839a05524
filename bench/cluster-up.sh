#!/usr/bin/env bash
# bench/cluster-up.sh: the compose cluster, from `docker-compose up -d` to work, and its memory.
#
# Runs io.kubemu.bench.ClusterUp on the repository's docker-compose.yml as a compose project of its
# own (kubemu-bench: its own apiserver and kube-proxy ports on free ports, kubelet root dirs in a
# temporary folder, its own volumes): the time from `up -d` to 3 Ready nodes (goal <= 15 s) and to a
# 3-replica Deployment Running, then the memory of every component's container, idle and with 30
# pods Running: its resident set (its control group's total_rss or anon; goal: all together <= 1 GiB), and beside
# it the Pss, `docker stats` and VmRSS of its processes. Nothing is built: the image must be
# there (docker/offline-images.sh, or `docker-compose build`). The project, its volumes, its pods
# and kube-proxy's rules are removed at the end.
# Arguments are passed to the harness (--pods N, --settle SECONDS, --project NAME; --help lists them).
#
# Environment:
#   DOCKER_COMPOSE    the compose command (default docker-compose; e.g. "docker compose")
#   BENCH_JAVA_OPTS   JVM flags for the harness; default "-XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1"
#                     (C1 only: the harness, which polls the apiserver every 250 ms, should take
#                     little of the CPU the cluster starts on)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bench=cluster-up
bench_java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1}"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

ensure_built
log "kubemu $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); load1 $(cut -d' ' -f1 /proc/loadavg)"
mkdir -p "$work/kubelet"
# shellcheck disable=SC2086
run_harness "$java_bin" $bench_java_opts -Dkubemu.component=bench -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench_jar:$repo/bench/target/lib/*" io.kubemu.bench.ClusterUp \
  --compose-file "$repo/docker-compose.yml" --root-dir "$work/kubelet" "$@"
