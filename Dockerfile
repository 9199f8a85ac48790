# One image per service, built from the monorepo: docker build --build-arg SERVICE=calls .
# The build stage compiles every workspace; the runtime stage keeps production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json turbo.json tsconfig.base.json eslint.config.mjs ./
COPY packages packages
COPY services services
COPY infra/local/package.json infra/local/package.json
COPY tests tests
RUN npm ci --no-audit --no-fund
RUN npx turbo run build --filter='./services/*'

FROM node:20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /repo
COPY --from=build /repo /repo
RUN npm prune --omit=dev --no-audit --no-fund
USER node
CMD ["sh", "-c", "exec node --enable-source-maps services/$SERVICE/dist/index.js"]
