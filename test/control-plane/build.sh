#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the Go modules pinned in go.mod, once per version (see
# ../support/cached-go-build.sh). Prints the directory holding the binaries on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
source ../support/cached-go-build.sh

k8s_version=$(awk '$1 == "k8s.io/kubernetes" { print $2; exit }' go.mod)
cached_go_build "control plane $k8s_version (kube-apiserver, kubectl, etcd)" "control-plane/$k8s_version" \
  "$k8s_version" "go.mod go.sum build.sh etcd/main.go" "kube-apiserver kubectl etcd"
