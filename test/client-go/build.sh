#!/usr/bin/env bash
# Builds the client-go conformance program from the Go module here, once per version (see
# ../support/cached-go-build.sh). Prints the directory holding the binary on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
source ../support/cached-go-build.sh

client_go=$(awk '$1 == "k8s.io/client-go" { print $2; exit }' go.mod)
cached_go_build "client-go $client_go conformance program" "client-go/$client_go" "v1.${client_go#v0.}" \
  "go.mod go.sum build.sh conformance/main.go" "conformance"
