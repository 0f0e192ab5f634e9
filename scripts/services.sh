#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (or the hosts in DATABASE_URL/REDIS_URL).
# In order: use them if they answer; start the local servers; install them from Debian's
# packages when missing (as root); use `docker compose` where a Docker engine runs; otherwise
# print exactly what to install. Exit 0 only when both answer.
set -u

PG_HOST=127.0.0.1 PG_PORT=5432 REDIS_HOST=127.0.0.1 REDIS_PORT=6379
if [ -n "${DATABASE_URL:-}" ]; then
  hp=$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^:/?]+)(:([0-9]+))?.*#\2 \4#')
  PG_HOST=${hp%% *}; p=${hp#* }; [ -n "$p" ] && PG_PORT=$p
fi
if [ -n "${REDIS_URL:-}" ]; then
  hp=$(printf '%s' "$REDIS_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^:/?]+)(:([0-9]+))?.*#\2 \4#')
  REDIS_HOST=${hp%% *}; p=${hp#* }; [ -n "$p" ] && REDIS_PORT=$p
fi

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
pg_up() { answers "$PG_HOST" "$PG_PORT"; }
redis_up() { answers "$REDIS_HOST" "$REDIS_PORT"; }
wait_for() { for _ in $(seq 1 30); do "$1" && return 0; sleep 1; done; return 1; }
say() { echo "services: $*"; }

local_host() { case "$1" in 127.*|localhost|::1) return 0;; *) return 1;; esac; }

start_postgres() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    for v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true; done
  elif command -v service >/dev/null 2>&1; then
    service postgresql start >/dev/null 2>&1 || true
  fi
  wait_for pg_up
}

start_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/otklik.log >/dev/null 2>&1 || true
  fi
  wait_for redis_up
}

trust_local_postgres() {
  # A fresh Debian cluster asks for a password on TCP; Otklik's default URL uses none. Only for a
  # server this script installed itself.
  local hba; hba=$(ls /etc/postgresql/*/main/pg_hba.conf 2>/dev/null | head -1)
  [ -n "$hba" ] || return 0
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
}

install_debian() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "installing $* from Debian packages"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure() {
  local name=$1 up=$2 start=$3 pkg=$4 host=$5
  if $up; then say "$name answers"; return 0; fi
  if ! local_host "$host"; then say "$name at $host does not answer; start it there"; return 1; fi
  say "$name does not answer; starting the local server"
  if $start; then say "$name started"; return 0; fi
  if install_debian "$pkg"; then
    [ "$name" = PostgreSQL ] && trust_local_postgres
    if $start; then say "$name installed and started"; return 0; fi
  fi
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    say "starting $name with docker compose"
    docker compose up -d "$( [ "$name" = PostgreSQL ] && echo postgres || echo redis )" && wait_for "$up" && return 0
  fi
  return 1
}

ok=0
ensure PostgreSQL pg_up start_postgres postgresql "$PG_HOST" || ok=1
ensure Redis redis_up start_redis redis-server "$REDIS_HOST" || ok=1
if [ $ok -ne 0 ]; then
  cat <<MSG
services: could not bring up PostgreSQL and Redis. Install them and run this again:
  Debian/Ubuntu (as root): apt-get install -y postgresql redis-server
  macOS (Homebrew):        brew install postgresql@16 redis && brew services start postgresql@16 redis
  Docker:                  docker compose up -d postgres redis
Otklik expects PostgreSQL on $PG_HOST:$PG_PORT and Redis on $REDIS_HOST:$REDIS_PORT (set DATABASE_URL / REDIS_URL otherwise).
MSG
fi
exit $ok
