#!/usr/bin/env bash
# Builds kubemu's image without an image registry, from Debian packages and Maven alone: a Debian
# base made by debootstrap and `docker import`, the jars built here with Maven, then
# docker/Dockerfile.offline on top. Afterwards `docker-compose up -d` (or `docker compose up -d`)
# finds the image it names and builds nothing. Run it again after changing the code; a base image
# made before for the same packages is kept (remove it, kubemu/base:bookworm-*, to make it again).
#
# Needs: docker, debootstrap, Maven and a JDK 17, and a Debian mirror in apt's configuration
# (or KUBEMU_DEBIAN_MIRROR=<url>). Set KUBEMU_MAVEN_ARGS=-o to build the jars offline.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The base's packages: curl for the healthchecks and for a kubelet to join the pods' network
# (docker/kubelet-entrypoint.sh), iptables for kube-proxy. Its tag names them, so that a base made
# for another list is not taken for this one.
packages=openjdk-17-jre-headless,ca-certificates,curl,iptables
base="kubemu/base:bookworm-$(printf '%s' "$packages" | sha256sum | cut -c1-8)"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -1)"
image="kubemu/kubemu:${KUBEMU_VERSION:-$version}"

# The mirror this machine's apt installs from: images are made from the same packages.
debian_mirror() {
  if [ -n "${KUBEMU_DEBIAN_MIRROR:-}" ]; then
    echo "$KUBEMU_DEBIAN_MIRROR"
    return
  fi
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(IDENTIFIER)' 2>/dev/null |
    awk '$2 == "bookworm" && $3 == "main" && $4 == "Packages" { print $1; exit }'
}

if docker image inspect "$base" >/dev/null 2>&1; then
  echo "offline-images: $base is there already"
else
  mirror="$(debian_mirror)"
  if [ -z "$mirror" ]; then
    echo "offline-images: apt has no Debian bookworm main source; set KUBEMU_DEBIAN_MIRROR" >&2
    exit 1
  fi
  root="$(mktemp -d)"
  trap 'rm -rf "$root" "$root.log"' EXIT
  echo "offline-images: making $base with debootstrap from $mirror"
  debootstrap --variant=minbase --include="$packages" \
    bookworm "$root" "$mirror" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - "$base" >/dev/null
  rm -rf "$root" "$root.log"
  trap - EXIT
fi

echo "offline-images: building the jars (mvn -B -q package -DskipTests ${KUBEMU_MAVEN_ARGS:-})"
(cd "$here" && mvn -B -q package -DskipTests ${KUBEMU_MAVEN_ARGS:-})

echo "offline-images: building $image"
# A context of just what the image holds (the repository's .dockerignore leaves out every target/).
context="$here/cli/target/docker-context"
rm -rf "$context"
mkdir -p "$context/docker" "$context/cli/target"
cp "$here/kubemu" "$context/"
cp "$here/docker/kubelet-entrypoint.sh" "$here/docker/make-cds.sh" "$here/docker/Dockerfile.offline" "$context/docker/"
cp -al "$here/cli/target/lib" "$here/cli/target/classpath" "$here"/cli/target/cli-*.jar "$context/cli/target/"
previous="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
docker build -q --build-arg "BASE=$base" -f "$context/docker/Dockerfile.offline" -t "$image" "$context" >/dev/null
rm -rf "$context"
# The image this one replaces, unless a container still uses it.
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
# An image for pods, since none can be pulled: busybox's httpd from Debian's busybox-static
# (examples/nginx-deployment-offline.yml runs it).
if [ -x /bin/busybox ]; then
  echo "offline-images: $(java -cp "$here/cli/target/lib/*" io.kubemu.kubelet.runtime.docker.LocalImages) is ready for pods"
else
  echo "offline-images: no /bin/busybox (apt-get install busybox-static), so no local image for pods" >&2
fi
echo "offline-images: $image is ready; now: docker-compose up -d"
