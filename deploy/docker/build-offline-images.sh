#!/usr/bin/env bash
# Builds every image of this repository without pulling anything, for machines without a registry:
#   1. a Debian bookworm JRE 17 base (debootstrap + docker import), unless it exists already;
#   2. the Kafka image (deploy/docker/kafka) and every service's image (Dockerfile.service) on it.
# Needs root, debootstrap, a Docker engine (DOCKER_HOST) and `mvn -DskipTests package` done first.
# Users with a registry build the same Dockerfiles on their default public base instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

base="${NORTHSTAR_BASE_IMAGE:-northstar/jre17:bookworm}"
tag="${NORTHSTAR_IMAGE_TAG:-0.1.0}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if ! docker image inspect "$base" >/dev/null 2>&1; then
  echo "Building the base image $base (debootstrap bookworm + openjdk-17-jre-headless) ..."
  rootfs="$(mktemp -d /tmp/northstar-rootfs.XXXXXX)"
  cleanup() {
    umount "$rootfs/proc" 2>/dev/null || true
    rm -rf "$rootfs"
  }
  trap cleanup EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
  mount -t proc proc "$rootfs/proc"
  chroot "$rootfs" apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get install -y -q --no-install-recommends \
    openjdk-17-jre-headless >/dev/null
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/*
  umount "$rootfs/proc"
  tar -C "$rootfs" -c . | docker import -c 'ENV LANG=C.UTF-8' - "$base" >/dev/null
  cleanup
  trap - EXIT
fi

echo "Building northstar/kafka:4.1.2 on $base ..."
docker build -q -f deploy/docker/kafka/Dockerfile --build-arg BASE_IMAGE="$base" -t northstar/kafka:4.1.2 . >/dev/null
# Every service of the checkout: a services/<name> with a Quarkus application.properties (not services/libs).
for config in services/*/src/main/resources/application.properties; do
  service="${config#services/}"
  service="${service%%/*}"
  echo "Building northstar/$service:$tag on $base ..."
  docker build -q -f deploy/docker/Dockerfile.service --build-arg BASE_IMAGE="$base" \
    -t "northstar/$service:$tag" "services/$service/target/quarkus-app" >/dev/null
done
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^northstar/'
