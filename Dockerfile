# The handoff orchestrator as a GitHub App server. Build: docker build -t handoff .
# Run: docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -e ANTHROPIC_API_KEY handoff
# Stage 1 compiles the server with the dev dependencies; stage 2 holds the production dependencies and
# the compiled JavaScript only (no TypeScript loader, no bundler).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-server.mjs scripts/
COPY src src
RUN npm run build:server

FROM node:24-slim
# Probot listens on localhost unless HOST is set: in a container that is unreachable.
ENV HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
RUN chown node:node /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
COPY app.yml ./
USER node
EXPOSE 3000
CMD ["node", "dist/server/main.js"]
