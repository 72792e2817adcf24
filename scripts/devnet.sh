#!/usr/bin/env bash
# Runs a local devnet: installs what is missing on first use (scripts/setup.sh), then `xdpchain devnet`
# with default options. Extra arguments are passed to `xdpchain devnet`.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || bash scripts/setup.sh
exec node bin/xdpchain.js devnet "$@"
