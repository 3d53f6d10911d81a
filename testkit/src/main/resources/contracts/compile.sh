#!/usr/bin/env bash
# Regenerates Emitter.bin (creation bytecode, hex) and Emitter.abi from Emitter.sol, and Factory.bin
# and Factory.abi from Factory.sol, with the solc-js
# pinned in the repo's package.json (run `npm ci` at the repo root first). Tests only read the
# committed outputs; run this after changing the contract and commit all three files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
solcjs="$root/node_modules/.bin/solcjs"
[ -x "$solcjs" ] || { echo "missing $solcjs: run 'npm ci' in $root" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# solcjs names outputs <file>_<contract>.{bin,abi}
for contract in Emitter Factory; do
    (cd "$here" && "$solcjs" --bin --abi --optimize --optimize-runs 200 -o "$out" "$contract.sol")
    cp "$out/${contract}_sol_${contract}.bin" "$here/$contract.bin"
    cp "$out/${contract}_sol_${contract}.abi" "$here/$contract.abi"
    echo "wrote $here/$contract.bin ($(wc -c < "$here/$contract.bin") hex chars) and $contract.abi"
done
