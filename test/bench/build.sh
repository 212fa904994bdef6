#!/usr/bin/env bash
# Builds what the benchmark needs from the Go modules pinned in go.mod, once per version (see
# ../support/cached-go-build.sh): k8s.io/sample-apiserver (the Go reference server, at the control plane's Kubernetes
# release), the vegeta load generator, and the client-go Node informer the scale mode compares with (informer/).
# Prints the directory holding the binaries on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
source ../support/cached-go-build.sh

sample_version=$(awk '$1 == "k8s.io/sample-apiserver" && $2 ~ /^v/ { print $2; exit }' go.mod)
# sample-apiserver v0.N.P is released with Kubernetes v1.N.P.
kube_version=v1.${sample_version#v0.}
cached_go_build "bench tools (sample-apiserver $sample_version, vegeta, informer)" "bench/$sample_version" \
  "$kube_version" "go.mod go.sum build.sh informer/main.go" "sample-apiserver vegeta informer" ./informer
