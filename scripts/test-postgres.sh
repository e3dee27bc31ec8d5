#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1 at a free port. Prints one line on
# stdout, for the caller to export (everything else goes to stderr):
#   TEST_DATABASE_URL=postgres://kudak:kudak@127.0.0.1:<port>/kudak_test
#
#   scripts/test-postgres.sh         start (or reuse) the server, create the user and database
#   scripts/test-postgres.sh stop    stop it
#   scripts/test-postgres.sh sql     run the SQL on stdin as the superuser (scripts/temporal-cluster.sh
#                                    adds Temporal's role to a server started here)
#
# Idempotent: a server this script started that is still running is reused; a stale one is
# replaced. As root on Debian it installs PostgreSQL with apt-get when it is missing, and runs the
# server as the `postgres` user. With TEST_DATABASE_URL already set it only echoes it.
# KUDAK_PG_DIR overrides where the cluster lives (default /tmp/kudak-test-postgres).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${KUDAK_PG_DIR:-/tmp/kudak-test-postgres}"
DATA="$STATE_DIR/data"
DB_USER=kudak
DB_PASSWORD=kudak
DB_NAME=kudak_test

log() { echo "[test-postgres] $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

is_root() { [ "$(id -u)" = 0 ]; }

# The newest installed server's binaries (Debian keeps them off PATH), else initdb from PATH.
find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

BIN="$(find_bin)"

ensure_installed() {
  [ -n "$BIN" ] && return
  is_root || die "PostgreSQL is not installed (no initdb/pg_ctl); install it, e.g. sudo apt-get install -y postgresql"
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and there is no apt-get to install it with"
  log "installing PostgreSQL with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
  [ -n "$BIN" ] || die "apt-get installed postgresql but no initdb/pg_ctl was found under /usr/lib/postgresql"
}

# The server refuses to run as root: as root, run it (and its tools) as `postgres`.
as_server_user() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

free_port() {
  node "$ROOT/scripts/free-ports.js" 1
}

running() {
  [ -f "$DATA/postmaster.pid" ] && [ -f "$STATE_DIR/port" ] &&
    as_server_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

sql() {
  as_server_user "$BIN/psql" -h "$STATE_DIR" -p "$(cat "$STATE_DIR/port")" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 -qAt "$@"
}

start() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    log "TEST_DATABASE_URL is already set; using it"
    echo "TEST_DATABASE_URL=$TEST_DATABASE_URL"
    return
  fi
  ensure_installed
  if running; then
    log "reusing the server in $STATE_DIR (port $(cat "$STATE_DIR/port"))"
  else
    [ -d "$DATA" ] && as_server_user "$BIN/pg_ctl" -D "$DATA" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    chmod 700 "$STATE_DIR"
    is_root && chown postgres: "$STATE_DIR"
    local port
    port="$(free_port)"
    log "creating a cluster in $STATE_DIR with $BIN"
    as_server_user "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >"$STATE_DIR/initdb.log" 2>&1 ||
      die "initdb failed: $(cat "$STATE_DIR/initdb.log")"
    # Throwaway data: durability settings off for speed.
    as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$STATE_DIR/server.log" -w -t 60 -s \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >&2 || die "the server did not start: $(tail -n 20 "$STATE_DIR/server.log" 2>/dev/null)"
    echo "$port" | as_server_user tee "$STATE_DIR/port" >/dev/null
    log "server running on 127.0.0.1:$port"
  fi
  sql <<SQL
SELECT 'CREATE ROLE $DB_USER LOGIN PASSWORD ''$DB_PASSWORD'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') \gexec
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME') \gexec
SQL
  echo "TEST_DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$(cat "$STATE_DIR/port")/$DB_NAME"
}

stop() {
  if [ -n "$BIN" ] && [ -f "$DATA/postmaster.pid" ]; then
    as_server_user "$BIN/pg_ctl" -D "$DATA" stop -m fast -s >&2 || true
  fi
  rm -rf "$STATE_DIR"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  sql)
    running || die "no server of this script's is running in $STATE_DIR"
    sql
    ;;
  *) die "usage: $0 [start|stop|sql]" ;;
esac
