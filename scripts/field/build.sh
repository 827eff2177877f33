#!/usr/bin/env bash
# Field lab build (opt-in; never part of `npm test`): llama-server from node-llama-cpp's llama.cpp source,
# plus the tiny random-weight GGUF models. Everything lands in the git-ignored .field/ folder; each step is
# skipped when its output is already there. Needs: npm, git, cmake, g++, python3 (venv), go (for Ollama).
set -euo pipefail
cd "$(dirname "$0")/../.."
FIELD="${AIOC_FIELD_DIR:-$PWD/.field}"
NLC_VERSION="${AIOC_FIELD_NLC_VERSION:-3.21.1}"
JOBS="${AIOC_FIELD_JOBS:-2}"
# Native CPU code by default; OFF for a build cached across machines (CI), which may have other CPUs.
NATIVE="${AIOC_FIELD_NATIVE:-ON}"
mkdir -p "$FIELD"
log() { printf '[field:build] %s\n' "$*"; }
start=$(date +%s)

# 1. llama.cpp source: the git bundle node-llama-cpp ships, cloned once.
if [ ! -d "$FIELD/llama.cpp/.git" ]; then
  log "fetching node-llama-cpp@$NLC_VERSION"
  (cd "$FIELD" && npm pack --silent "node-llama-cpp@$NLC_VERSION" >/dev/null)
  tar -xzf "$FIELD/node-llama-cpp-$NLC_VERSION.tgz" -C "$FIELD" \
    package/llama/gitRelease.bundle package/llama/llama.cpp.info.json package/package.json
  git clone -q "$FIELD/package/llama/gitRelease.bundle" "$FIELD/llama.cpp"
fi
cp "$FIELD/package/llama/llama.cpp.info.json" "$FIELD/llama.cpp.info.json" 2>/dev/null || true
log "llama.cpp source: $(cat "$FIELD/llama.cpp.info.json" | tr -d '\n ' ) from node-llama-cpp@$NLC_VERSION"

# 2. llama-server, CPU only: no OpenSSL, no web UI (the prebuilt-UI option downloads assets).
SERVER="$FIELD/llama.cpp/build/bin/llama-server"
if [ ! -x "$SERVER" ]; then
  log "building llama-server (-j$JOBS; 15-40 minutes on 2 cores)"
  b0=$(date +%s)
  cmake -S "$FIELD/llama.cpp" -B "$FIELD/llama.cpp/build" -DCMAKE_BUILD_TYPE=Release \
    -DGGML_NATIVE="$NATIVE" -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_PROJECT_INCLUDE="$PWD/scripts/field/fast-compile.cmake" >/dev/null
  nice -n 10 cmake --build "$FIELD/llama.cpp/build" --target llama-server -j "$JOBS"
  log "llama-server built in $(( $(date +%s) - b0 )) s"
fi
"$SERVER" --version 2>&1 | tail -n 2 || true

# 3. Python venv with numpy and the source tree's own gguf-py, then the tiny models.
VENV="$FIELD/venv"
if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV (numpy + gguf-py from the source tree)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q numpy pyyaml tqdm
fi
if [ ! -f "$FIELD/models/tiny-long.gguf" ] || [ ! -f "$FIELD/models/tiny-eos.gguf" ]; then
  mkdir -p "$FIELD/models"
  PYTHONPATH="$FIELD/llama.cpp/gguf-py" "$VENV/bin/python" scripts/field/make_tiny_gguf.py \
    --vocab "$FIELD/llama.cpp/models/ggml-vocab-qwen2.gguf" \
    --template "$FIELD/llama.cpp/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja" \
    --out-dir "$FIELD/models"
fi
ls -la "$FIELD/models"

# 4. Ollama from its Go module (CPU only; AIOC_FIELD_SKIP=ollama leaves it out).
bash scripts/field/build-ollama.sh
log "done in $(( $(date +%s) - start )) s"
