#!/usr/bin/env bash
# Cuts a release of the GitHub Action: tag vX.Y.Z, and move the major tag vX, to a commit that carries the built
# CLI (dist/, git-ignored on branches), so `uses: OWNER/aioc@v1` runs it with no install and no build.
set -euo pipefail
version="${1:?usage: scripts/release-action.sh vX.Y.Z}"
[[ "$version" =~ ^v([0-9]+)\.[0-9]+\.[0-9]+$ ]] || { echo "version must look like v1.2.3" >&2; exit 2; }
major="v${BASH_REMATCH[1]}"
cd "$(dirname "$0")/.."
git diff --quiet && git diff --cached --quiet || { echo "commit or stash your changes first" >&2; exit 2; }
npm ci --no-audit --no-fund
npm run build
back=$(git rev-parse --abbrev-ref HEAD)
git checkout -q --detach
git add -f dist
git commit -qm "Release $version: the built CLI for the GitHub Action"
git tag -a "$version" -m "aioc $version"
git tag -fa "$major" -m "aioc $version (latest $major)"
git checkout -q "$back"
echo "tagged $version and moved $major; publish with: git push origin $version && git push -f origin $major"
