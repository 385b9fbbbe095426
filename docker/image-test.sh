#!/usr/bin/env bash
# Builds the Loa image from docker/Dockerfile with Podman, fully offline, runs it and checks it:
# it serves speech, reports healthy, runs as non-root, and stops promptly on SIGTERM.
#
# There is no Docker engine or registry here, so the two base images the Dockerfile names are
# made locally from the Debian archive with debootstrap (cached in $LOA_IMAGE_CACHE between
# runs): debian:bookworm-slim, and rust:<version>-bookworm = the same plus gcc and this
# machine's Rust toolchain. Crates come from the host's cargo registry, mounted into the build.
#
# Usage: docker/image-test.sh            (from anywhere; needs root, apt for first-time setup)
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${LOA_IMAGE_CACHE:-/var/cache/loa-podman}
RUST_VERSION=$(rustc --version | awk '{split($2, v, "."); print v[1] "." v[2]}')
RUST_IMAGE=docker.io/library/rust:${RUST_VERSION}-bookworm
SLIM_IMAGE=docker.io/library/debian:bookworm-slim
MIRROR=${LOA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
IMAGE=localhost/loa:test
NAME=loa-image-test-$$
PORT=${LOA_IMAGE_PORT:-18080}

log() { printf '== %s\n' "$*"; }
fail() { printf 'image-test: FAIL: %s\n' "$*" >&2; exit 1; }

need=()
for tool in podman debootstrap runc curl; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman debootstrap runc curl >/dev/null
fi

mkdir -p "$CACHE"
# crun refuses this machine's hybrid cgroups; runc with cgroupfs works. The default ulimits are
# ones an unprivileged sandbox may set.
cat > "$CACHE/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF=$CACHE/containers.conf

if ! podman image exists "$SLIM_IMAGE"; then
  if [ ! -f "$CACHE/slim.done" ]; then
    log "debootstrap bookworm (minbase) for $SLIM_IMAGE"
    rm -rf "$CACHE/slim"
    debootstrap --variant=minbase bookworm "$CACHE/slim" "$MIRROR" >"$CACHE/slim.log" 2>&1 \
      || fail "debootstrap failed, see $CACHE/slim.log"
    touch "$CACHE/slim.done"
  fi
  tar -C "$CACHE/slim" -c . | podman import - "$SLIM_IMAGE" >/dev/null
fi

if ! podman image exists "$RUST_IMAGE"; then
  if [ ! -f "$CACHE/rust.done" ]; then
    log "debootstrap bookworm + gcc for $RUST_IMAGE"
    rm -rf "$CACHE/rust"
    debootstrap --variant=minbase --include=gcc,libc6-dev,ca-certificates bookworm "$CACHE/rust" "$MIRROR" \
      >"$CACHE/rust.log" 2>&1 || fail "debootstrap failed, see $CACHE/rust.log"
    sysroot=$(rustc --print sysroot)
    mkdir -p "$CACHE/rust/usr/local/rust"
    cp -a "$sysroot/bin" "$sysroot/lib" "$sysroot/libexec" "$sysroot/etc" "$CACHE/rust/usr/local/rust/"
    touch "$CACHE/rust.done"
  fi
  tar -C "$CACHE/rust" -c . | podman import \
    --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV CARGO_HOME=/usr/local/cargo' - "$RUST_IMAGE" >/dev/null
fi

log "fetching crates into the host registry"
cargo fetch --locked >/dev/null
registry=${CARGO_HOME:-$HOME/.cargo}/registry

log "building $IMAGE"
start=$(date +%s)
podman build --pull=never --format docker -f docker/Dockerfile -t "$IMAGE" \
  --build-arg RUST_VERSION="$RUST_VERSION" --build-arg CARGO_NET_OFFLINE=true \
  --volume "$registry:/usr/local/cargo/registry" . >"$CACHE/build.log" 2>&1 \
  || { tail -30 "$CACHE/build.log"; fail "podman build failed"; }
log "built in $(( $(date +%s) - start )) s; image size $(podman image inspect "$IMAGE" --format '{{.Size}}') bytes"

cleanup() { podman rm -f "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT

log "running $IMAGE on 127.0.0.1:$PORT"
podman run -d --name "$NAME" -p "127.0.0.1:$PORT:8080" "$IMAGE" >/dev/null 2>"$CACHE/run.log"
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { podman logs "$NAME" | tail; fail "no /healthz answer"; }

log "speech"
wav=$(mktemp)
curl -fsS -o "$wav" -X POST -H 'content-type: application/json' \
  -d '{"text":"Xin chào, đây là Loa."}' "http://127.0.0.1:$PORT/v1/speech?download=1"
head -c 4 "$wav" | grep -q RIFF || fail "speech is not a WAV file"
size=$(stat -c %s "$wav"); rm -f "$wav"
[ "$size" -gt 8000 ] || fail "speech is only $size bytes"
echo "   WAV of $size bytes"

log "healthcheck"
podman healthcheck run "$NAME" || fail "healthcheck reports unhealthy"
status=$(podman inspect "$NAME" --format '{{.State.Health.Status}}' 2>/dev/null || podman inspect "$NAME" --format '{{.State.Healthcheck.Status}}')
[ "$status" = healthy ] || fail "health status is '$status'"
echo "   $status"

log "non-root"
uid=$(podman exec "$NAME" id -u)
[ "$uid" != 0 ] || fail "the service runs as root"
echo "   uid $uid"

log "SIGTERM"
start=$(date +%s%N)
podman stop -t 10 "$NAME" >/dev/null 2>>"$CACHE/run.log"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
echo "   stopped in $ms ms, exit code $code"
[ "$ms" -lt 5000 ] || fail "stopping took $ms ms (SIGTERM not handled?)"
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"

echo "image-test: 5 passed, 0 failed"
