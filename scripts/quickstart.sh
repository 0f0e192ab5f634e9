#!/usr/bin/env bash
# `npm run quickstart`: install, bring up PostgreSQL and Redis, migrate, load demo data,
# create the first admin API key and the first admin UI user (each printed once; a re-run creates
# neither again and says how to reset) and start the server on http://localhost:3000.
# ADMIN_EMAIL chooses the first user's email (default admin@localhost).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f .env ]; then
  secret=$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))")
  cat > .env <<ENV
# Written by npm run quickstart; every variable is described in docs/configuration.md.
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/otklik
REDIS_URL=redis://127.0.0.1:6379
SECRET_KEY=$secret
PUBLIC_URL=http://localhost:3000
ENV
  echo "quickstart: wrote .env"
fi
set -a; . ./.env; set +a

echo "quickstart: installing dependencies"
npm install --no-audit --no-fund --loglevel=error
bash scripts/services.sh
npm run -s db:migrate
npm run -s db:seed -- --if-empty
npm run -s keys:bootstrap
echo "quickstart: starting Otklik on ${PUBLIC_URL} (API docs at ${PUBLIC_URL}/docs, Ctrl-C stops it)"
echo "quickstart: sign in to the admin UI:"
npm run -s users:create -- --email "${ADMIN_EMAIL:-admin@localhost}" --role admin --first-run
exec npm start
