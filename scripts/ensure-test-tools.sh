#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (npm test runs this first):
# emscripten, to check that the committed grammar wasm is what the grammar sources build;
# neovim, whose built-in LSP client is one of the language server's test clients; strace, the
# live-capture probe source.
# Needs root and apt-get (as on this project's machines and CI); elsewhere it says what to install.
set -euo pipefail
missing=()
command -v emcc >/dev/null 2>&1 || missing+=(emscripten)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
command -v strace >/dev/null 2>&1 || missing+=(strace)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "npm test: installing Debian packages the tests need: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
