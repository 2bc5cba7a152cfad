#!/usr/bin/env bash
# Regenerates tree-sitter-d's generated files from grammar.js and src/scanner.c:
#   src/parser.c, src/grammar.json, src/node-types.json  (tree-sitter CLI 0.22.6, ABI 14)
#   tree-sitter-d.wasm                                    (emcc, Debian's emscripten)
# With --check, regenerates into a scratch copy and fails when the committed files differ,
# so CI catches a grammar.js change whose outputs were not regenerated and committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tree_sitter=${TREE_SITTER:-$root/../shared/tools/tree-sitter}
check=false
[[ ${1:-} == --check ]] && check=true

for tool in "$tree_sitter" emcc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "grammar: '$tool' not found (tree-sitter CLI: set TREE_SITTER; emcc: apt-get install emscripten)" >&2
    exit 1
  fi
done

build() { # $1 = grammar directory
  (cd "$1" && "$tree_sitter" generate --no-bindings --abi 14 >/dev/null)
  (cd "$1" && emcc -o tree-sitter-d.wasm -Os -s WASM=1 -s SIDE_MODULE=2 -s TOTAL_MEMORY=33554432 \
    -s NODEJS_CATCH_EXIT=0 -s 'EXPORTED_FUNCTIONS=["_tree_sitter_d"]' \
    -fno-exceptions -fvisibility=hidden -I src src/parser.c src/scanner.c)
}

if ! $check; then
  build "$root/tree-sitter-d"
  echo "grammar: regenerated tree-sitter-d/src/{parser.c,grammar.json,node-types.json} and tree-sitter-d.wasm"
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src"
cp "$root/tree-sitter-d/grammar.js" "$root/tree-sitter-d/package.json" "$root/tree-sitter-d/tree-sitter.json" "$scratch/"
cp "$root/tree-sitter-d/src/scanner.c" "$scratch/src/"
build "$scratch"
stale=0
for f in src/parser.c src/grammar.json src/node-types.json tree-sitter-d.wasm; do
  if ! cmp -s "$scratch/$f" "$root/tree-sitter-d/$f"; then
    echo "grammar: tree-sitter-d/$f is not what grammar.js generates; run 'npm run grammar' and commit it" >&2
    stale=1
  fi
done
[[ $stale == 0 ]] && echo "grammar: generated files are current"
exit $stale
