#!/usr/bin/env bash
# Run by the image build: makes the class data sharing archives the kubemu launcher uses
# (cds/<component>.jsa), by running a small cluster once (`kubemu up`, simulated runtime, a
# Deployment created and scaled through the REST API) with KUBEMU_CDS_DUMP set, so that every
# component's JVM writes the classes it loaded when it stops. The archives fit only the jars and
# the JDK of this image; the launcher ignores them otherwise, and a failed run here leaves none.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(mktemp -d)"
log="$data/up.log"
KUBEMU_CDS_DUMP=1 "$here/kubemu" up --runtime simulated --nodes 1 --any-ports --data-dir "$data/cluster" >"$log" 2>&1 &
up=$!
trap 'kill -TERM "$up" 2>/dev/null || true; wait "$up" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 240); do
  grep -q "the cluster is ready" "$log" && break
  kill -0 "$up" 2>/dev/null || { tail -20 "$log" >&2; exit 1; }
  sleep 0.5
done
server="$(sed -n 's/^ *server: //p' "$data/cluster/kubeconfig")"
api() { curl -fsS -o /dev/null -H 'Content-Type: application/json' "$@"; }
api -X POST "$server/apis/apps/v1/namespaces/default/deployments" -d '{"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"web:1"}]}}}}'
api -X POST "$server/api/v1/namespaces/default/services" -d '{"apiVersion":"v1","kind":"Service",
  "metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}'
sleep 10
curl -fsS -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' \
  "$server/apis/apps/v1/namespaces/default/deployments/web" -d '{"spec":{"replicas":1}}'
sleep 5
kill -TERM "$up"
wait "$up" || true
trap 'rm -rf "$data"' EXIT
# One archive per component (the etcd-nodes wrote three): the first of each is kept.
cd "$here/cds"
for archive in *.*.jsa; do
  component="${archive%%.*}"
  if [ -f "$component.jsa" ]; then rm -f "$archive"; else mv "$archive" "$component.jsa"; fi
done
# An archive the JVM cannot map (a member stopped while writing it) would only cost a warning at
# each start; -Xshare:on makes that fatal here, and such an archive is removed.
for archive in *.jsa; do
  component="${archive%.jsa}"
  [ "$component" = up ] && continue
  KUBEMU_JAVA_OPTS=-Xshare:on "$here/kubemu" "$component" --help >/dev/null 2>&1 || rm -f "$archive"
done
ls -l
