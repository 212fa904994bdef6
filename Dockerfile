# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:24-bookworm-slim

# Build: compile with the dev dependencies, then bundle the server and every package it loads into dist/bundle
# (one entry file and its chunks), so the runtime image needs no node_modules.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-bundle.ts ./scripts/
COPY src ./src
RUN npm run build:bundle -- --compile-cache-user=65532

# Runtime: tini as PID 1 forwards SIGTERM to node and reaps zombies. The app stays root-owned and read-only
# to the numeric, unprivileged user (numeric so the kubelet can verify runAsNonRoot).
FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
# glibc's malloc raises its mmap and trim thresholds after freeing a large block, so buffers of a few MiB (a
# list of 1,000 Nodes read at start, TLS records) then come from the heap it never returns: fixed thresholds
# keep RSS about 25 MiB lower under load (docs/benchmark.md).
ENV NODE_ENV=production \
  MALLOC_MMAP_THRESHOLD_=131072 \
  MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app/dist/bundle ./dist/bundle
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/bundle/main.mjs"]
