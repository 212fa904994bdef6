#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the Go modules pinned in go.mod, once per version:
# the binaries are cached outside the work tree, keyed by a hash of everything that decides them.
# Prints the directory holding the binaries on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

k8s_version=$(awk '$1 == "k8s.io/kubernetes" { print $2; exit }' go.mod)
key=$(cat go.mod go.sum build.sh etcd/main.go | sha256sum | cut -c1-12)
cache_root=${KCNM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-cloud-node-manager}
bin_dir="$cache_root/control-plane/$k8s_version-$key/bin"

if [[ -x "$bin_dir/kube-apiserver" && -x "$bin_dir/kubectl" && -x "$bin_dir/etcd" ]]; then
  echo "control plane $k8s_version: cached in $bin_dir" >&2
  echo "$bin_dir"
  exit 0
fi

command -v go >/dev/null || { echo "Go is needed to build the control plane (https://go.dev/dl)" >&2; exit 1; }
minor=${k8s_version#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

echo "building the control plane $k8s_version (kube-apiserver, kubectl, etcd); the first build takes several minutes..." >&2
start=$(date +%s)
tmp="$bin_dir.tmp.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/" tool
rm -rf "$bin_dir"
mv "$tmp" "$bin_dir"
echo "control plane $k8s_version built in $(( $(date +%s) - start ))s into $bin_dir" >&2
echo "$bin_dir"
