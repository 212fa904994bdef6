# Sourced by test/control-plane/build.sh and test/bench/build.sh: builds the `tool` directives of the Go module in
# the current directory, once per version. The binaries are cached outside the work tree, keyed by a hash of
# everything that decides them. Prints the directory holding the binaries on stdout; progress goes to stderr.
#
#   cached_go_build WHAT FOLDER KUBE_VERSION KEY_FILES BINARIES
#     WHAT          what is built, for the progress lines, e.g. "control plane v1.36.3 (kube-apiserver, kubectl, etcd)"
#     FOLDER        the cache folder, the version in its name, e.g. control-plane/v1.36.3
#     KUBE_VERSION  the Kubernetes release the binaries report as their version, e.g. v1.36.3
#     KEY_FILES     the files besides this one that decide the binaries, space-separated
#     BINARIES      what the build makes, space-separated
#     PACKAGES      optional: the module's own main packages built besides its tools, e.g. ./informer
cached_go_build() {
  local what=$1 folder=$2 kube_version=$3 key_files=$4 binaries=$5 packages=${6:-}
  local this_file key cache_root bin_dir
  this_file=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
  # shellcheck disable=SC2086 # the lists are space-separated on purpose
  key=$(cat $key_files "$this_file" | sha256sum | cut -c1-12)
  cache_root=${KCNM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-cloud-node-manager}
  bin_dir="$cache_root/$folder-$key/bin"

  local missing=0 binary
  for binary in $binaries; do [[ -x "$bin_dir/$binary" ]] || missing=1; done
  if (( missing == 0 )); then
    echo "$what: cached in $bin_dir" >&2
    echo "$bin_dir"
    return 0
  fi

  command -v go >/dev/null || { echo "Go is needed to build the $what (https://go.dev/dl)" >&2; return 1; }
  local minor=${kube_version#v1.} ldflags="-s -w" pkg
  minor=${minor%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done

  echo "building the $what; the first build takes several minutes..." >&2
  local start tmp
  start=$(date +%s)
  tmp="$bin_dir.tmp.$$"
  mkdir -p "$tmp"
  trap "rm -rf -- '$tmp'" EXIT
  # shellcheck disable=SC2086 # the list is space-separated on purpose
  CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/" tool $packages
  rm -rf "$bin_dir"
  mv "$tmp" "$bin_dir"
  echo "$what built in $(( $(date +%s) - start ))s into $bin_dir" >&2
  echo "$bin_dir"
}
