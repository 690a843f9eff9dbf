#!/usr/bin/env bash
# Builds llama.cpp's llama-server from the source node-llama-cpp ships in its npm
# package, so the remote-engine tests run against the same llama.cpp release the
# in-process backend uses. The build is cached outside the repository, keyed by the
# release's commit; a second run with the same release does nothing.
#
# Prints the path of the llama-server binary on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=node_modules/node-llama-cpp/llama/gitRelease.bundle
if [[ ! -f $bundle ]]; then
  echo "engine:build: $bundle is missing; run npm install first" >&2
  exit 1
fi

commit=$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" { print $1 }')
# The cache folder is named after the commit; without one, the clean-up below would empty the cache.
if [[ ! $commit =~ ^[0-9a-f]{40}$ ]]; then
  echo "engine:build: $bundle names no HEAD commit; reinstall node-llama-cpp" >&2
  exit 1
fi
cache_root=${LM_TUTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lm-tutor}
dir=$cache_root/llama-server/${commit:0:12}
binary=$dir/build/bin/llama-server

if [[ -x $binary ]]; then
  echo "engine:build: llama-server for llama.cpp ${commit:0:12} is already built" >&2
  echo "$binary"
  exit 0
fi

mkdir -p "$cache_root/llama-server"
work=$dir.partial
rm -rf "$work"
# Quiet on success; on failure, clone again from nothing to show git's own error.
git clone --quiet "$bundle" "$work/src" 2>/dev/null || { rm -rf "$work"; git clone --quiet "$bundle" "$work/src"; }
git -C "$work/src" checkout --quiet "$commit"

# GGML_NATIVE is off because a native build on a CPU that advertises AMX can die
# with SIGILL at warm-up; AVX2/FMA/F16C cover every x86-64 machine of the last decade.
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
  -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF >&2
# Minimal images may lack nproc (coreutils); getconf is POSIX; two jobs otherwise.
jobs=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
cmake --build "$work/build" --target llama-server -j "$jobs" >&2

rm -rf "$work/src"
rm -rf "$dir"
mv "$work" "$dir"
echo "engine:build: built $binary" >&2
echo "$binary"
