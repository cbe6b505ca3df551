# syntax=docker/dockerfile:1
# Multi-stage build on the official Bun image, pinned to an exact release (the one CI tests
# with): production dependencies only, non-root user. deploy/ runs it (compose, Kubernetes).

FROM oven/bun:1.4.5 AS deps
WORKDIR /app
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile --production

FROM oven/bun:1.4.5 AS runtime
WORKDIR /app
# No transpiler cache on disk: the image runs with a read-only root filesystem (deploy/k8s).
ENV NODE_ENV=production \
    PORT=8000 \
    PGLITE_DIR=/app/.data/pglite \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bun.lock ./
COPY src ./src
COPY wasm ./wasm
COPY db ./db
RUN mkdir -p /app/.data && chown -R bun:bun /app/.data
USER bun
EXPOSE 8000
# Healthy = ready to take traffic (/readyz: 200 when ready or degraded, 503 without database or
# catalog); Kubernetes probes liveness on /healthz separately (deploy/k8s/deployment.yaml).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bun", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/readyz').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"]
CMD ["bun", "run", "start"]
