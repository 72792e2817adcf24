#!/usr/bin/env bash
# Installs everything xdpchain needs on a fresh Debian machine: Debian packages (when root) listed in
# scripts/apt-packages.txt, then the npm dependencies and the native addon (npm ci runs its build).
# Safe to run again: apt-get skips what is present and npm ci reinstalls from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' scripts/apt-packages.txt | grep -v '^$' | awk '{print $1}')
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (${missing[*]}); not root, so not installing them." >&2
    echo "setup: run: sudo apt-get install -y ${missing[*]}" >&2
  fi
fi

echo "setup: installing npm dependencies (npm ci)"
npm ci --no-audit --no-fund
echo "setup: done"
