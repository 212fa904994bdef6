#!/usr/bin/env bash
# Builds what the benchmark needs from the Go modules pinned in go.mod, once per version: k8s.io/sample-apiserver
# (the Go reference server, at the control plane's Kubernetes release), the vegeta load generator, and the
# client-go Node informer the scale mode compares with (informer/).
# The binaries are cached outside the work tree, keyed by a hash of everything that decides them.
# Prints the directory holding the binaries on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

sample_version=$(awk '$1 == "k8s.io/sample-apiserver" && $2 ~ /^v/ { print $2; exit }' go.mod)
key=$(cat go.mod go.sum build.sh informer/main.go | sha256sum | cut -c1-12)
cache_root=${KCNM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-cloud-node-manager}
bin_dir="$cache_root/bench/$sample_version-$key/bin"

if [[ -x "$bin_dir/sample-apiserver" && -x "$bin_dir/vegeta" && -x "$bin_dir/informer" ]]; then
  echo "bench tools (sample-apiserver $sample_version, vegeta): cached in $bin_dir" >&2
  echo "$bin_dir"
  exit 0
fi

command -v go >/dev/null || { echo "Go is needed to build the benchmark tools (https://go.dev/dl)" >&2; exit 1; }
minor=${sample_version#v0.}; minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=v1.$minor.${sample_version##*.} -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

echo "building sample-apiserver $sample_version and vegeta; the first build takes a few minutes..." >&2
start=$(date +%s)
tmp="$bin_dir.tmp.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/" tool
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/" ./informer
rm -rf "$bin_dir"
mv "$tmp" "$bin_dir"
echo "bench tools built in $(( $(date +%s) - start ))s into $bin_dir" >&2
echo "$bin_dir"
