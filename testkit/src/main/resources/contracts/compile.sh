#!/usr/bin/env bash
# Regenerates Emitter.bin (creation bytecode, hex) and Emitter.abi from Emitter.sol with the solc-js
# pinned in the repo's package.json (run `npm ci` at the repo root first). Tests only read the
# committed outputs; run this after changing the contract and commit all three files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
solcjs="$root/node_modules/.bin/solcjs"
[ -x "$solcjs" ] || { echo "missing $solcjs: run 'npm ci' in $root" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$here" && "$solcjs" --bin --abi --optimize --optimize-runs 200 -o "$out" Emitter.sol)
# solcjs names outputs <file>_<contract>.{bin,abi}
cp "$out/Emitter_sol_Emitter.bin" "$here/Emitter.bin"
cp "$out/Emitter_sol_Emitter.abi" "$here/Emitter.abi"
echo "wrote $here/Emitter.bin ($(wc -c < "$here/Emitter.bin") hex chars) and Emitter.abi"
