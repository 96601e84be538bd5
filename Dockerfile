FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./
ENV TRIBUTARY_HOST=0.0.0.0
EXPOSE 8080
CMD ["node", "bin/tributary.js", "serve"]
