#!/usr/bin/env bash
# Field lab, part 2 (opt-in): the gateways put in front of llama-server, and llama-cpp-python's own server (a
# second implementation on the same engine, compiled from its source distribution), installed into .field/ only
# (never project dependencies). Each step is skipped when already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
FIELD="${AIOC_FIELD_DIR:-$PWD/.field}"
PORTKEY_VERSION="${AIOC_FIELD_PORTKEY_VERSION:-1.15.2}"
# 1.109+ pins proxy packages (litellm-proxy, litellm-proxy-extras 0.4.113) that the registry does not serve.
LITELLM_VERSION="${AIOC_FIELD_LITELLM_VERSION:-1.106.12}"
LLAMA_CPP_PYTHON_VERSION="${AIOC_FIELD_LLAMA_CPP_PYTHON_VERSION:-0.3.16}"
# AIOC_FIELD_SKIP: comma-separated steps to leave out (portkey, litellm, llama-cpp-python), e.g.
# AIOC_FIELD_SKIP=llama-cpp-python on a machine where its ~40-minute source build does not fit.
SKIP=",${AIOC_FIELD_SKIP:-},"
skip() { case "$SKIP" in *",$1,"*) log "skipping $1 (AIOC_FIELD_SKIP)"; return 0 ;; esac; return 1; }
log() { printf '[field:build] %s\n' "$*"; }
mkdir -p "$FIELD"

if skip portkey; then :
elif [ ! -f "$FIELD/portkey/node_modules/@portkey-ai/gateway/package.json" ]; then
  log "installing @portkey-ai/gateway@$PORTKEY_VERSION into $FIELD/portkey"
  mkdir -p "$FIELD/portkey"
  (cd "$FIELD/portkey" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm install --prefix "$FIELD/portkey" --no-audit --no-fund --silent "@portkey-ai/gateway@$PORTKEY_VERSION"
fi

if skip litellm; then :
elif [ ! -x "$FIELD/litellm/bin/litellm" ]; then
  log "installing litellm[proxy]==$LITELLM_VERSION into $FIELD/litellm (venv)"
  python3 -m venv "$FIELD/litellm"
  nice -n 10 "$FIELD/litellm/bin/pip" install -q "litellm[proxy]==$LITELLM_VERSION"
fi
if skip llama-cpp-python; then :
elif [ ! -x "$FIELD/llama-cpp-python/bin/python" ] || ! "$FIELD/llama-cpp-python/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
  log "building llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION from source into $FIELD/llama-cpp-python (venv; CPU only)"
  python3 -m venv "$FIELD/llama-cpp-python"
  CMAKE_ARGS="-DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF -DGGML_OPENMP=OFF" \
    CMAKE_BUILD_PARALLEL_LEVEL=2 nice -n 10 "$FIELD/llama-cpp-python/bin/pip" install -q --no-cache-dir \
    --no-binary llama-cpp-python "llama-cpp-python[server]==$LLAMA_CPP_PYTHON_VERSION"
fi
log "gateways: portkey $(node -p "require('$FIELD/portkey/node_modules/@portkey-ai/gateway/package.json').version" 2>/dev/null || echo none), litellm $("$FIELD/litellm/bin/pip" show litellm 2>/dev/null | sed -n 's/^Version: //p'), llama-cpp-python $("$FIELD/llama-cpp-python/bin/pip" show llama-cpp-python 2>/dev/null | sed -n 's/^Version: //p')"
