#!/usr/bin/env bash
# A kubelet in a container of the compose cluster. Its pods are sibling containers on the pods'
# Docker network, which Docker keeps apart from the compose network the kubelet is on; so before
# the kubelet starts, its container joins the pods' network too (with an address of its own
# there, outside the nodes' pod CIDRs), so that its probes reach the pods. The Node's address
# (--node-ip) is the container's on the compose network, where the apiserver reaches the kubelet
# for `kubectl logs`.
#
#   KUBEMU_POD_NETWORK        the pods' network (the kubelet's --docker-network; default kubemu)
#   KUBEMU_POD_SUBNET         its subnet, if it has to be made here (default 10.42.0.0/16)
#   KUBEMU_POD_NETWORK_IP     this kubelet's address on it
#   KUBEMU_NODE_HOST          the compose service name, resolved to get the node's address
set -euo pipefail

network="${KUBEMU_POD_NETWORK:-kubemu}"
subnet="${KUBEMU_POD_SUBNET:-10.42.0.0/16}"
docker_api() {
  curl -sS --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' -o /dev/null -w '%{http_code}' "$@"
}

if [ "$(docker_api "http://docker/networks/$network")" != 200 ]; then
  # As the kubelet makes it (DockerRuntime), so that either may come first.
  docker_api -X POST http://docker/networks/create -d "$(printf '{"Name":"%s","Driver":"bridge","CheckDuplicate":true,"IPAM":{"Config":[{"Subnet":"%s"}]},"Labels":{"io.kubemu.network":"pods"}}' \
    "$network" "$subnet")" >/dev/null || true
fi
if [ -n "${KUBEMU_POD_NETWORK_IP:-}" ]; then
  joined="$(docker_api -X POST "http://docker/networks/$network/connect" -d "$(printf '{"Container":"%s","EndpointConfig":{"IPAMConfig":{"IPv4Address":"%s"}}}' \
    "$HOSTNAME" "$KUBEMU_POD_NETWORK_IP")")"
  # 403: joined before this restart of the same container.
  if [ "$joined" != 200 ] && [ "$joined" != 403 ]; then
    echo "kubelet-entrypoint: could not join the Docker network $network as $KUBEMU_POD_NETWORK_IP (HTTP $joined)" >&2
    exit 1
  fi
fi

node_ip="$(getent ahostsv4 "${KUBEMU_NODE_HOST:-$HOSTNAME}" | awk 'NR == 1 { print $1 }')"
exec /opt/kubemu/kubemu "$@" --node-ip="$node_ip"
