#!/usr/bin/env bash
# Podman from Debian's packages, as `npm run image` and test/e2e/image.test.ts use it where no docker engine runs
# (docs/image.md): runc as its runtime (crun, podman's default, refuses hybrid cgroup hierarchies), podman's
# default ulimits dropped (they ask for more open files than some machines' hard limit allows), and mmdebstrap
# for a Node base made from Debian's packages where node:24-bookworm-slim cannot be pulled. Run as root.
set -euo pipefail

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v mmdebstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc mmdebstrap >/dev/null
fi

conf=/etc/containers/containers.conf
if [ ! -e "$conf" ]; then
  mkdir -p "$(dirname "$conf")"
  cat >"$conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
elif ! grep -q '^default_ulimits' "$conf"; then
  echo "$conf exists without default_ulimits: podman may fail to set its default ulimits here" >&2
fi
podman info --format 'podman {{.Version.Version}}, runtime {{.Host.OCIRuntime.Name}}, cgroups {{.Host.CgroupsVersion}}'
