#!/usr/bin/env bash
# Run by the image build: makes the class data sharing archives the kubemu launcher uses, by
# running a small cluster once (`kubemu up`, simulated runtime, a Deployment created and scaled
# through the REST API) with KUBEMU_CDS_DUMP set, so that every component's JVM records the classes
# it loaded when it stops. On JDK 25 and later the recordings become AOT caches (cds/<component>.aot,
# with the training run's method profiles), before that they are CDS archives (cds/<component>.jsa).
# They fit only the jars and the JDK they were made with; the launcher ignores them otherwise (a
# JDK of another feature version) or the JVM does (another build), and a failed run here leaves none.
# It works on a checkout as well (after `mvn package`): the archives go to cds/ beside the launcher.
#
# Usage: make-cds.sh [--nodes N] [--pods N]. The image build trains on one node and two pods; a
# bigger training run gives the AOT caches the profiles of a bigger load, e.g. `--nodes 100 --pods
# 3000` before `bench/control-plane-scale.sh` (a few minutes).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes=1
pods=2
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --pods) pods="$2"; shift 2 ;;
    *) echo "usage: make-cds.sh [--nodes N] [--pods N]" >&2; exit 2 ;;
  esac
done
per_kubelet=()
[ "$nodes" -gt 10 ] && per_kubelet=(--nodes-per-kubelet 10)
rm -rf "$here/cds"
data="$(mktemp -d)"
log="$data/up.log"
# The controllers and the scheduler may send 500 requests a second, as in bench/control-plane-scale.sh.
KUBEMU_CDS_DUMP=1 "$here/kubemu" up --runtime simulated --nodes "$nodes" "${per_kubelet[@]}" --any-ports \
  --data-dir "$data/cluster" --kube-controller-manager-arg=--kube-api-qps=500 \
  --kube-controller-manager-arg=--kube-api-burst=1000 --kube-scheduler-arg=--kube-api-qps=500 \
  --kube-scheduler-arg=--kube-api-burst=1000 >"$log" 2>&1 &
up=$!
trap 'kill -TERM "$up" 2>/dev/null || true; wait "$up" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1800); do
  grep -q "the cluster is ready" "$log" && break
  kill -0 "$up" 2>/dev/null || { tail -20 "$log" >&2; exit 1; }
  sleep 0.5
done
server="$(sed -n 's/^ *server: //p' "$data/cluster/kubeconfig")"
api() { curl -fsS -o /dev/null -H 'Content-Type: application/json' "$@"; }
deployment="$server/apis/apps/v1/namespaces/default/deployments/web"
# Waits (up to 10 minutes) until the JSON at $1, blanks left out, matches the regex $2.
await_json() {
  for _ in $(seq 600); do
    curl -fsS "$1" | tr -d ' \n' | grep -qE "$2" && return
    sleep 1
  done
  echo "make-cds: $1 never held $2" >&2
  exit 1
}
api -X POST "$server/apis/apps/v1/namespaces/default/deployments" -d '{"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web"},"spec":{"replicas":'"$pods"',"selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"web:1"}]}}}}'
api -X POST "$server/api/v1/namespaces/default/services" -d '{"apiVersion":"v1","kind":"Service",
  "metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}'
await_json "$deployment" "\"readyReplicas\":$pods[,}]"
curl -fsS -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' "$deployment" -d '{"spec":{"replicas":1}}'
await_json "$deployment/scale" '"status":\{"replicas":1[,}]'
kill -TERM "$up"
# Each JVM writes its recording as it exits; kubemu up waits for them.
wait "$up" || true
trap 'rm -rf "$data"' EXIT
# One recording per component (the etcd-nodes wrote three): the first of each is kept.
cd "$here/cds"
shopt -s nullglob
for recording in *.*.jsa *.*.aotconf; do
  component="${recording%%.*}"
  kept="$component.${recording##*.}"
  if [ -f "$kept" ] || [ ! -s "$recording" ]; then rm -f "$recording"; else mv "$recording" "$kept"; fi
done
# An AOT recording becomes a cache in a JVM of its own, started with the component's flags.
for recording in *.aotconf; do
  KUBEMU_AOT_CREATE="$here/cds/$recording" "$here/kubemu" "${recording%.aotconf}" >/dev/null 2>&1 || true
  rm -f "$recording"
done
# An archive the JVM cannot map (a member stopped while writing it) would only cost a warning at
# each start; -Xshare:on (-XX:AOTMode=on for a cache) makes that fatal here, and such an archive is
# removed.
for archive in *.jsa *.aot; do
  component="${archive%.*}"
  [ "$component" = up ] && continue
  strict=-Xshare:on
  [ "${archive##*.}" = aot ] && strict=-XX:AOTMode=on
  KUBEMU_JAVA_OPTS=$strict "$here/kubemu" "$component" --help >/dev/null 2>&1 || rm -f "$archive"
done
ls -l
