FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json nest-cli.json ./
COPY src ./src
COPY bench ./bench
COPY templates ./templates
RUN npm ci --no-audit --no-fund
EXPOSE 3000
CMD ["npm", "start"]
