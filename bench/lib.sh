# bench/lib.sh: what the benchmark scripts share; sourced, not run.
#
# The sourcing script sets `bench` (its name, for log lines) and `repo` (the repository's root)
# first. Every process it starts with `start NAME COMMAND...` is stopped, by pid, when the script
# exits, also when it is interrupted or fails; its output goes to $work/NAME.log. A script that
# leaves more behind (containers, say) defines `bench_cleanup`, called once those processes are gone.

log() { echo "$bench: $*" >&2; }

# Builds kubemu and the harnesses if their jars are missing (not when the code changed since:
# run `mvn -B -q package -DskipTests` then).
ensure_built() {
  bench_jar="$repo/bench/target/bench-0.1.0-SNAPSHOT.jar"
  if [ ! -f "$bench_jar" ] || [ ! -d "$repo/bench/target/lib" ] || [ ! -f "$repo/cli/target/cli-0.1.0-SNAPSHOT.jar" ] \
      || [ ! -d "$repo/cli/target/lib" ]; then
    log "building kubemu and the harness (mvn -B -q package -DskipTests)..."
    (cd "$repo" && mvn -B -q package -DskipTests) >&2
  fi
}

# The JDK the harness runs on, as the kubemu launcher picks it for the cluster: $JAVA_HOME's when
# it is set, else the `java` on the PATH.
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jdk_version() { "$java_bin" -version 2>&1 | head -n 1; }
# The class archives beside the launcher (docker/make-cds.sh makes them), which it uses on the JDK
# they fit: AOT caches on JDK 25 and later, CDS archives before.
class_archives() {
  local aot jsa
  aot="$(find "$repo/cds" -maxdepth 1 -name '*.aot' 2>/dev/null | wc -l)"
  jsa="$(find "$repo/cds" -maxdepth 1 -name '*.jsa' 2>/dev/null | wc -l)"
  echo "class archives in cds/: $aot AOT caches, $jsa CDS archives"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Refuses to go on when one of the ports is taken; $1 says which setting moves them.
require_free_ports() {
  local setting=$1 port
  shift
  for port in "$@"; do
    if port_in_use "$port"; then log "port $port is in use; set $setting"; exit 1; fi
  done
}

work="$(mktemp -d "${TMPDIR:-/tmp}/$bench.XXXXXX")"
pids=()
names=()

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
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
    mkdir -p "$BENCH_KEEP_LOGS" && cp "$work"/*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true
    for dir in "$work"/*/logs; do [ -d "$dir" ] && cp -r "$dir" "$BENCH_KEEP_LOGS"/; done 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME COMMAND...: runs COMMAND in the background, its output in $work/NAME.log.
start() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

pid_of() {
  local i
  for i in "${!names[@]}"; do
    [ "${names[$i]}" = "$1" ] && { echo "${pids[$i]}"; return; }
  done
}

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

# After the harness: a member that is gone by now may have skewed the numbers.
warn_if_gone() {
  local i
  for i in "${!pids[@]}"; do
    [ "${names[$i]}" = harness ] && continue
    running "${pids[$i]}" || log "warning: ${names[$i]} was no longer running at the end (see BENCH_KEEP_LOGS)"
  done
}

# wait_for_ports SECONDS PORT...: until something listens on every port, or fails the run.
wait_for_ports() {
  local deadline=$((SECONDS + $1)) port
  shift
  for port in "$@"; do
    until port_in_use "$port"; do
      check_alive
      if [ "$SECONDS" -ge "$deadline" ]; then log "nothing listens on $port in time"; exit 1; fi
      sleep 0.2
    done
  done
}

# start_kubemu_store: three ./kubemu etcd-node members n1 n2 n3 on loopback, peers on
# $KUBEMU_PEER_PORTS, clients one port below each; sets kubemu_endpoints.
start_kubemu_store() {
  local peer_ports=(${KUBEMU_PEER_PORTS:-2380 22380 32380}) peers="" i name port
  kubemu_endpoints=""
  for port in "${peer_ports[@]}"; do
    require_free_ports KUBEMU_PEER_PORTS "$port" "$((port - 1))"
  done
  for i in 0 1 2; do
    peers+="${peers:+,}n$((i + 1))=127.0.0.1:${peer_ports[$i]}"
    kubemu_endpoints+="${kubemu_endpoints:+,}127.0.0.1:$((peer_ports[$i] - 1))"
  done
  local java_opts="${KUBEMU_JAVA_OPTS:-}"
  for i in 0 1 2; do
    name="n$((i + 1))"
    KUBEMU_JAVA_OPTS="${java_opts//%n/$name}" start "$name" \
      "$repo/kubemu" etcd-node --name "$name" --peers "$peers" --data-dir "$work/$name" ${KUBEMU_NODE_ARGS:-}
  done
}

# run_harness COMMAND...: runs the harness with its report on stdout (stopped with everything else
# if the script is interrupted), then exits with the harness's status.
run_harness() {
  "$@" &
  local harness=$!
  pids+=("$harness")
  names+=(harness)
  set +e
  wait "$harness"
  local status=$?
  set -e
  warn_if_gone
  exit "$status"
}

# start_docker_cluster: `kubemu up --runtime docker --nodes 1` on free ports in a fresh data dir
# ($work/cluster; BENCH_UP_ARGS adds flags), waited for until ready (at most 300 s); fails the run
# when no Docker engine answered. Sets server (the apiserver's URL).
start_docker_cluster() {
  local started=$SECONDS
  # shellcheck disable=SC2086
  start up "$repo/kubemu" up --runtime docker --nodes 1 --any-ports --data-dir "$work/cluster" ${BENCH_UP_ARGS:-}
  until grep -q "the cluster is ready" "$work/up.log" 2>/dev/null; do
    check_alive
    if [ $((SECONDS - started)) -ge 300 ]; then log "the cluster was not ready within 300 s"; exit 1; fi
    sleep 1
  done
  if ! grep -q "runtime docker" "$work/up.log"; then
    log "no Docker engine answered, so the node runs the simulated runtime; nothing to measure:"
    grep "kubemu:" "$work/up.log" >&2 || true
    exit 1
  fi
  server="$(sed -n 's/^ *server: //p' "$work/cluster/kubeconfig")"
  log "the cluster is ready after $((SECONDS - started)) s; apiserver at $server"
}
