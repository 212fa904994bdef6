#!/usr/bin/env bash
# Builds krew and validate-krew-manifest from the Go module here, once per version (see
# ../support/cached-go-build.sh). Prints the directory holding the binaries on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
source ../support/cached-go-build.sh

krew=$(awk '$1 == "sigs.k8s.io/krew" { print $2; exit }' go.mod)
cached_go_build "krew $krew (krew, validate-krew-manifest)" "krew/$krew" "$krew" "go.mod go.sum build.sh" \
  "krew validate-krew-manifest"
