# syntax=docker/dockerfile:1
#
# masync container image: the CLI and the daemon.
#
#   docker build -t masync:0.1.0 .
#   docker run --rm -v "$PWD/masync.yaml:/etc/masync/masync.yaml:ro" -v masync-state:/var/lib/masync \
#     -e MLFLOW_TRACKING_TOKEN -e SN_USERNAME -e SN_PASSWORD -p 9464:9464 masync:0.1.0
#
# The config is mounted at /etc/masync/masync.yaml, and its state.path must point into the
# volume (state.path: /var/lib/masync/masync.db): a relative path is relative to the config
# file, which is read-only. In a container the daemon must listen on all interfaces
# (daemon.host: 0.0.0.0) for /healthz and /metrics to be reachable. Secrets come from the
# environment (${ENV} in the config) or from mounted files (${file:/run/secrets/…}); none
# is ever baked into the image.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own `prepare` would build before the sources are copied;
# better-sqlite3 is the one dependency with an install step, run explicitly.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
COPY test/bench ./test/bench
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="masync" \
      org.opencontainers.image.description="Keeps IT asset records (ServiceNow CMDB, Jira Assets) true to the ML models your platforms hold and run" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
# Same base image as the build stage, so better-sqlite3's native module matches this Node ABI.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
COPY mappings ./mappings
# The application stays root-owned and read-only to the process; only the state directory is its own.
RUN groupadd --gid 10001 masync \
 && useradd --uid 10001 --gid 10001 --home-dir /var/lib/masync --no-create-home --shell /usr/sbin/nologin masync \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/masync \
 && install -d -m 0755 /etc/masync
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
WORKDIR /var/lib/masync
VOLUME ["/var/lib/masync"]
EXPOSE 9464
ENTRYPOINT ["node", "/app/bin/masync.js"]
CMD ["daemon", "-c", "/etc/masync/masync.yaml"]
