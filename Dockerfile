# syntax=docker/dockerfile:1
# `npm run image` builds this (docs/image.md). NODE_IMAGE is a Debian image with Node 24 and npm: the official
# one, or one made from Debian's packages where that cannot be pulled (scripts/image/local-base.ts).
ARG NODE_IMAGE=node:24-bookworm-slim

# Build: compile with the dev dependencies, then bundle the server and every package it loads into dist/bundle
# (one entry file and its chunks), so the runtime image needs no node_modules.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Behind a TLS-intercepting proxy npm needs the proxy's CA: it comes as a build secret (an empty file when there
# is none), mounted for this step only, so it is in no layer of any stage.
RUN --mount=type=secret,id=npm-ca \
  if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi \
  && npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-bundle.ts scripts/sbom.ts ./scripts/
COPY scripts/supply-chain ./scripts/supply-chain
COPY src ./src
RUN npm run build:bundle -- --compile-cache-user=65532
# What the bundle ships, as CycloneDX, and its licences; a copyleft or unknown licence fails the build.
RUN node dist/scripts/sbom.js --no-audit

# The runtime's root file system, gathered from the Debian base: node, the shared libraries it links (ldd names
# them), tini, the CA bundle, a passwd with the numeric user, the copyright files of the Debian packages those
# come from and Node's LICENSE where the base has it. No shell, package manager or npm.
FROM ${NODE_IMAGE} AS rootfs
RUN if ! [ -x /usr/bin/tini-static ] || ! [ -s /etc/ssl/certs/ca-certificates.crt ]; then \
  apt-get update && apt-get install -y --no-install-recommends tini ca-certificates \
  && rm -rf /var/lib/apt/lists/*; fi
RUN set -eu; r=/rootfs; node=$(readlink -f "$(command -v node)"); \
  mkdir -p $r/usr/local/bin $r/usr/bin $r/etc/ssl/certs $r/tmp $r/app; \
  chmod 1777 $r/tmp; \
  cp "$node" $r/usr/local/bin/node; \
  cp /usr/bin/tini-static $r/usr/bin/tini; \
  cp /etc/ssl/certs/ca-certificates.crt $r/etc/ssl/certs/; \
  for lib in $(ldd "$node" | grep -o '/[^ ]*'); do mkdir -p "$r$(dirname "$lib")"; cp -L "$lib" "$r$lib"; done; \
  for pkg in libc6 libgcc-s1 libstdc++6 tini ca-certificates; do \
  mkdir -p $r/usr/share/doc/$pkg; cp /usr/share/doc/$pkg/copyright $r/usr/share/doc/$pkg/; done; \
  mkdir -p $r/usr/share/doc/node; \
  for f in /usr/local/share/doc/node/LICENSE /usr/local/LICENSE; do \
  if [ -f $f ]; then cp $f $r/usr/share/doc/node/LICENSE; break; fi; done; \
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
  > $r/etc/passwd; \
  printf 'root:x:0:\nnonroot:x:65532:\n' > $r/etc/group; \
  printf 'hosts: files dns\n' > $r/etc/nsswitch.conf; \
  chroot $r /usr/local/bin/node --version

# Runtime: tini as PID 1 forwards SIGTERM to node and reaps zombies. The app stays root-owned and read-only
# to the numeric, unprivileged user (numeric so the kubelet can verify runAsNonRoot).
FROM scratch
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=https://github.com/OWNER/k8s-cloud-node-manager
LABEL org.opencontainers.image.title="k8s-cloud-node-manager" \
  org.opencontainers.image.description="Kubernetes extension API server that restarts the cloud VM behind a Node" \
  org.opencontainers.image.source="${SOURCE}" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.licenses="Apache-2.0"
COPY --from=rootfs /rootfs /
# glibc's malloc raises its mmap and trim thresholds after freeing a large block, so buffers of a few MiB (a
# list of 1,000 Nodes read at start, TLS records) then come from the heap it never returns: fixed thresholds
# keep RSS about 25 MiB lower under load (docs/benchmark.md).
ENV NODE_ENV=production \
  MALLOC_MMAP_THRESHOLD_=131072 \
  MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app/dist/bundle ./dist/bundle
COPY --from=build /app/dist/supply-chain /usr/share/doc/k8s-cloud-node-manager
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/node", "dist/bundle/main.mjs"]
