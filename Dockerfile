# syntax=docker/dockerfile:1

# Build stage: compile better-sqlite3 from source in the same Debian/Node 24 (LTS) image family that runs it.
FROM node:24-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && npm rebuild better-sqlite3 --build-from-source
# Transpile to JavaScript with esbuild (about 30 MB less resident memory than running TypeScript through
# tsx), then drop the development dependencies. src/sandbox (the local Telegram simulator) is left out
# by .dockerignore: the image cannot start it even by mistake.
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: no compilers, non-root user, database on a volume, content mountable.
FROM node:24-bookworm-slim
# A font for the text in the /stats cascade chart (resvg draws with the system's fonts; slim has none).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_PATH=/data/bot.db \
    CONTENT_DIR=/app/content
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json ./
# The sources stay for the operator commands (npm run backup, purge, content:check run them with tsx).
COPY src ./src
COPY migrations ./migrations
COPY content ./content
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# /healthz and /metrics (and the webhook, when WEBHOOK_URL is set). They listen on the container's
# own loopback unless HTTP_HOST says otherwise: long polling needs nothing published; in webhook mode
# run with -e HTTP_HOST=0.0.0.0 -e METRICS_TOKEN=… -p 127.0.0.1:8080:8080 so that only the host's reverse
# proxy reaches it (beyond loopback the bot requires METRICS_TOKEN).
# (HTTP_HOST is deliberately not set here: with a webhook the bot refuses to start until it is chosen.)
ENV PORT=8080
EXPOSE 8080
# Asks wherever the bot listens (loopback when it listens on every interface). /healthz needs no token.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "const h=process.env.HTTP_HOST||'127.0.0.1';const a=h==='0.0.0.0'||h==='::'?'127.0.0.1':h.includes(':')?'['+h+']':h;fetch('http://'+a+':'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Mount your own content with: -v /path/to/content:/app/content:ro
CMD ["node", "dist/main.js"]
