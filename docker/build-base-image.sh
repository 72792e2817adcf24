#!/usr/bin/env bash
# Builds a local stand-in for node:20-bookworm-slim where no image registry is reachable: a debootstrap minbase
# bookworm root with this machine's Node.js, npm and CA bundle (npm inside `docker build` needs the bundle to reach
# the package registry), imported under a local tag. Not the official image: no yarn, no `node` user.
# Usage (root): docker/build-base-image.sh [TAG]   (default xdpchain-base:bookworm-node20; skipped if the tag exists)
set -euo pipefail

TAG="${1:-xdpchain-base:bookworm-node20}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ "$(id -u)" -ne 0 ]; then echo "build-base-image: needs root (debootstrap, docker import)" >&2; exit 1; fi
if docker image inspect "$TAG" >/dev/null 2>&1; then echo "build-base-image: $TAG exists, nothing to do"; exit 0; fi
for tool in debootstrap docker node; do
  command -v "$tool" >/dev/null || { echo "build-base-image: $tool is not installed" >&2; exit 1; }
done

NODE_BIN="$(readlink -f "$(command -v node)")"
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
[ -f "$NPM_DIR/package.json" ] || { echo "build-base-image: npm not found next to node ($NPM_DIR)" >&2; exit 1; }
[ -f "$CA_BUNDLE" ] || { echo "build-base-image: no CA bundle at $CA_BUNDLE" >&2; exit 1; }

ROOT="$(mktemp -d /var/tmp/xdpchain-base.XXXXXX)"
cleanup() {
  for m in proc sys dev/pts dev; do mountpoint -q "$ROOT/$m" 2>/dev/null && umount -l "$ROOT/$m"; done
  rm -rf "$ROOT" "$ROOT.log"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "build-base-image: debootstrap --variant=minbase bookworm into $ROOT"
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 || { tail -20 "$ROOT.log" >&2; exit 1; }

# Same places as the official image: node, its headers (node-gyp and native addons) and npm under /usr/local.
install -m 0755 "$NODE_BIN" "$ROOT/usr/local/bin/node"
NODE_INCLUDE="$(dirname "$(dirname "$NODE_BIN")")/include/node"
[ -f "$NODE_INCLUDE/node_api.h" ] || NODE_INCLUDE=/usr/include/node
[ -f "$NODE_INCLUDE/node_api.h" ] || { echo "build-base-image: no Node.js headers (node_api.h) found" >&2; exit 1; }
mkdir -p "$ROOT/usr/local/include"
cp -a "$NODE_INCLUDE" "$ROOT/usr/local/include/node"
mkdir -p "$ROOT/usr/local/lib/node_modules"
cp -a "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
mkdir -p "$ROOT/etc/ssl/certs"
install -m 0644 "$CA_BUNDLE" "$ROOT/etc/ssl/certs/ca-certificates.crt"
# Keep the image small: no apt lists, caches or docs from the bootstrap.
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/*
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF

echo "build-base-image: importing as $TAG"
tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$TAG" >/dev/null
echo "build-base-image: $TAG ($(node --version), npm $(node "$NPM_DIR/bin/npm-cli.js" --version))"
