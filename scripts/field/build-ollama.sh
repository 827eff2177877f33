#!/usr/bin/env bash
# Field lab (opt-in): Ollama built from its Go module (the Go module proxy, no github.com), CPU only. `go build`
# alone gives the CPU backend (ml/backend/ggml/ggml/src/ggml-cpu is compiled through cgo); the cmake presets
# only add GPU and per-CPU-variant libraries, which the lab does not need. Everything lands in .field/ollama
# (GOPATH, module and build caches included); skipped when the binary is there. Called by build.sh; set
# AIOC_FIELD_SKIP=ollama to leave it out. The model is imported at run time (scripts/field/run.ts: `ollama
# create tiny` from the tiny GGUF into .field/ollama/models).
set -euo pipefail
cd "$(dirname "$0")/../.."
FIELD="${AIOC_FIELD_DIR:-$PWD/.field}"
OLLAMA_VERSION="${AIOC_FIELD_OLLAMA_VERSION:-v0.17.4}"
JOBS="${AIOC_FIELD_JOBS:-2}"
log() { printf '[field:build] %s\n' "$*"; }
case ",${AIOC_FIELD_SKIP:-}," in *",ollama,"*) log "skipping ollama (AIOC_FIELD_SKIP)"; exit 0 ;; esac

DIR="$FIELD/ollama"
BIN="$DIR/bin/ollama"
export GOPATH="$DIR/gopath" GOMODCACHE="$DIR/gopath/pkg/mod" GOCACHE="$DIR/gocache" GOFLAGS=-buildvcs=false
export CGO_ENABLED=1
if [ ! -x "$BIN" ]; then
  # No Go: say so and leave Ollama out (npm run field then reports "ollama: not run: Ollama not built").
  command -v go >/dev/null || { log "ollama: not built: no go toolchain on PATH (Go >= 1.24 builds it)"; exit 0; }
  mkdir -p "$DIR/bin"
  if [ ! -f "$DIR/src/go.mod" ] || ! grep -q "^$OLLAMA_VERSION\$" "$DIR/src/.version" 2>/dev/null; then
    log "fetching github.com/ollama/ollama@$OLLAMA_VERSION from the Go module proxy"
    go mod download "github.com/ollama/ollama@$OLLAMA_VERSION"
    rm -rf "$DIR/src"
    cp -r "$GOMODCACHE/github.com/ollama/ollama@$OLLAMA_VERSION" "$DIR/src"
    chmod -R u+w "$DIR/src"
    # Module zips leave out every vendor/ directory, so llama/llama.cpp/vendor (single-header nlohmann/json,
    # stb_image, miniaudio) is missing; take them from the llama.cpp tree build.sh cloned (the same upstream;
    # Ollama's Makefile.sync names the llama.cpp commit it vendors, which that shallow tree does not hold).
    [ -d "$FIELD/llama.cpp/vendor/nlohmann" ] || { log "ollama: run build.sh first (llama.cpp vendor headers)"; exit 1; }
    mkdir -p "$DIR/src/llama/llama.cpp/vendor"
    cp -r "$FIELD/llama.cpp/vendor/nlohmann" "$FIELD/llama.cpp/vendor/stb" "$FIELD/llama.cpp/vendor/miniaudio" \
      "$DIR/src/llama/llama.cpp/vendor/"
    echo "$OLLAMA_VERSION" > "$DIR/src/.version"
    (cd "$DIR/src" && go mod download)
  fi
  log "building ollama $OLLAMA_VERSION (go build, cgo, CPU only, -p $JOBS; $(go version))"
  b0=$(date +%s)
  (cd "$DIR/src" && nice -n 10 go build -p "$JOBS" -trimpath \
    -ldflags "-s -w -X=github.com/ollama/ollama/version.Version=${OLLAMA_VERSION#v}" -o "$BIN" .)
  log "ollama built in $(( $(date +%s) - b0 )) s"
fi
log "ollama: $("$BIN" --version 2>&1 | tail -n 1)"
