#!/usr/bin/env bash
# A real Temporal cluster on PostgreSQL, the way a national deployment runs it: frontend, history,
# matching and worker as four processes sharing one config, on a PostgreSQL server of the run's own.
# `npm start`'s dev server is one process on SQLite; this proves Kudak runs on the real thing.
#
#   scripts/temporal-cluster.sh start                  build (cached), start everything, register the
#                                                      namespace and Kudak's search attributes; prints
#                                                      TEMPORAL_ADDRESS=127.0.0.1:<port> and the
#                                                      TEST_DATABASE_URL of a Kudak database on the
#                                                      same PostgreSQL server, on stdout, when ready
#   scripts/temporal-cluster.sh stop                   stop everything it started, remove the run dir
#   scripts/temporal-cluster.sh status                 each service's pid, whether it runs, its RSS
#   scripts/temporal-cluster.sh start-service <name>   start one service again (after a fault test
#                                                      killed it): frontend, history, matching, worker
#   scripts/temporal-cluster.sh build                  only build (or find) the server and the SQL tool
#
# The server and its SQL schema tool are built from source with the ordinary Go client, pinned
# (later patch releases need a newer Go than 1.26), once: the binaries, the schema folders and the
# config they ship with are kept in KUDAK_TOOLS_CACHE (default ~/.cache/kudak), outside the clone,
# so fresh clones on the same machine reuse them. A cold build takes minutes and about 2.6 GB.
# KUDAK_CLUSTER_DIR is the run dir (default /tmp/kudak-temporal-cluster): config, logs, pids and the
# PostgreSQL cluster. Everything else goes to stderr. Needs dist/ (`npm run build`) for the search
# attributes, which are declared once, in libs/contracts.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TEMPORAL_VERSION=v1.32.1
TOOLS_DIR="${KUDAK_TOOLS_CACHE:-$HOME/.cache/kudak}/temporal-server-$TEMPORAL_VERSION"
SERVER="$TOOLS_DIR/temporal-server"
SQL_TOOL="$TOOLS_DIR/temporal-sql-tool"
RUN_DIR="${KUDAK_CLUSTER_DIR:-/tmp/kudak-temporal-cluster}"
PG_DIR="$RUN_DIR/postgres"
CONFIG="$RUN_DIR/config.yaml"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# Start order: history owns the shards the others call into; the worker service needs the frontend.
SERVICES=(history matching frontend worker)
DB_USER=temporal
DB_PASSWORD=temporal

log() { echo "[temporal-cluster] $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

temporal_cli() {
  local cli="$ROOT/.tools/venv/bin/temporal"
  [ -x "$cli" ] || cli="$(command -v temporal || true)"
  [ -n "$cli" ] || die "the Temporal CLI is missing (.tools/venv/bin/temporal): run npm run setup"
  "$cli" --address "$(address)" --namespace "$NAMESPACE" "$@"
}

build() {
  if [ -x "$SERVER" ] && [ -x "$SQL_TOOL" ]; then
    log "using the Temporal server $TEMPORAL_VERSION built in $TOOLS_DIR"
    return
  fi
  command -v go >/dev/null 2>&1 || die "Go is needed to build the Temporal server (go install); none is on PATH"
  # Another run may be building too: each builds into its own folder, the first to finish wins.
  local partial="$TOOLS_DIR.partial.$$"
  rm -rf "$partial"
  mkdir -p "$partial"
  trap 'rm -rf "$partial"' EXIT
  log "building the Temporal server $TEMPORAL_VERSION and its SQL tool (minutes on a cold cache)"
  local started=$SECONDS
  (
    export GOBIN="$partial" GOFLAGS=-mod=mod GOTOOLCHAIN=local
    go install "go.temporal.io/server/cmd/server@$TEMPORAL_VERSION"
    go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_VERSION"
  ) >&2 || die "go install failed (see above)"
  mv "$partial/server" "$partial/temporal-server"
  mv "$partial/sql" "$partial/temporal-sql-tool"
  # The schema folders and the reference config ship in the module; keep them beside the binaries.
  local module
  module="$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_VERSION"
  mkdir -p "$partial/schema" "$partial/config"
  cp -r "$module/schema/postgresql" "$partial/schema/"
  cp "$module/config/development-postgres12.yaml" "$partial/config/"
  chmod -R u+w "$partial"
  if [ -x "$SERVER" ]; then
    rm -rf "$partial"
  else
    mv "$partial" "$TOOLS_DIR"
  fi
  trap - EXIT
  log "built in $((SECONDS - started)) s: $(du -h "$SERVER" | cut -f1) server binary"
}

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }

# Running, and still the server this run dir started: a stale pid file never names another process.
is_running() {
  local pid
  pid="$(pid_of "$1")"
  # stderr goes before the open: a process that ended since its pid was read is just not running.
  [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "--config-file $CONFIG"
}

port_of() { sed -n "s/^$1=//p" "$RUN_DIR/ports"; }

address() { echo "127.0.0.1:$(port_of frontend_grpc)"; }

start_postgres() {
  local said
  said="$(env -u TEST_DATABASE_URL KUDAK_PG_DIR="$PG_DIR" bash "$ROOT/scripts/test-postgres.sh" start)" ||
    die "PostgreSQL did not start"
  echo "$said" >"$RUN_DIR/app-database"
  KUDAK_PG_DIR="$PG_DIR" bash "$ROOT/scripts/test-postgres.sh" sql <<SQL
SELECT 'CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD ''$DB_PASSWORD'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') \gexec
SQL
}

create_schemas() {
  local sql=("$SQL_TOOL" --plugin postgres12 --ep 127.0.0.1 -p "$(cat "$PG_DIR/port")" -u "$DB_USER" --pw "$DB_PASSWORD")
  local db
  for db in temporal temporal_visibility; do
    local folder=temporal
    [ "$db" = temporal_visibility ] && folder=visibility
    log "creating the $db database and its schema"
    {
      "${sql[@]}" --db "$db" create-database &&
        "${sql[@]}" --db "$db" setup-schema -v 0.0 &&
        "${sql[@]}" --db "$db" update-schema -d "$TOOLS_DIR/schema/postgresql/v12/$folder/versioned"
    } >>"$RUN_DIR/schema.log" 2>&1 || die "the $db schema failed: $(tail -n 20 "$RUN_DIR/schema.log")"
  done
}

datastore_yaml() {
  local name="$1" database="$2" connections="$3" pg_port="$4"
  cat <<YAML
    $name:
      sql:
        pluginName: "postgres12"
        databaseName: "$database"
        connectAddr: "127.0.0.1:$pg_port"
        connectProtocol: "tcp"
        user: "$DB_USER"
        password: "$DB_PASSWORD"
        maxConns: $connections
        maxIdleConns: $connections
        maxConnLifetime: "1h"
YAML
}

service_yaml() {
  cat <<YAML
  $1:
    rpc:
      grpcPort: $(port_of "$1_grpc")
      membershipPort: $(port_of "$1_membership")
      bindOnLocalHost: true
YAML
}

# config/development-postgres12.yaml from the module (a copy sits beside the binaries), with this
# run's ports and database, a small shard count, and no pprof or Prometheus listener: those are one
# fixed port per process in the original, and four processes cannot share it.
write_config() {
  local pg_port
  pg_port="$(cat "$PG_DIR/port")"
  {
    cat <<YAML
# Written by scripts/temporal-cluster.sh from the module's config/development-postgres12.yaml.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
YAML
    datastore_yaml postgres-default temporal 20 "$pg_port"
    datastore_yaml postgres-visibility temporal_visibility 4 "$pg_port"
    cat <<YAML

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
YAML
    service_yaml frontend
    echo "      httpPort: $(port_of frontend_http)"
    service_yaml history
    service_yaml matching
    service_yaml worker
    cat <<YAML

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "$(address)"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "$RUN_DIR/dynamicconfig.yaml"
  pollInterval: "10s"
YAML
  } >"$CONFIG"
  # A search attribute registered a moment ago is usable at once, as on the dev server; activities
  # are handed to the worker with the workflow task's completion, as on Kudak's dev server.
  cat >"$RUN_DIR/dynamicconfig.yaml" <<YAML
limit.maxIDLength:
  - value: 255
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
system.enableActivityEagerExecution:
  - value: true
YAML
}

start_service() {
  local name="$1"
  is_running "$name" && die "$name is already running (pid $(pid_of "$name"))"
  log "starting $name"
  # Own log per service; stdin and stdout detached so a caller capturing our stdout is not held open.
  nohup "$SERVER" --config-file "$CONFIG" --allow-no-auth start --service "$name" \
    </dev/null >>"$RUN_DIR/$name.log" 2>&1 &
  local pid=$!
  # Until nohup has exec'd the server, the child's command line is still this script's, and
  # is_running would take a service that is starting for one that exited: wait for the exec.
  local waited=0
  until tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--config-file $CONFIG"; do
    [ -d "/proc/$pid" ] || break
    [ "$waited" -lt 100 ] || break
    sleep 0.05
    waited=$((waited + 1))
  done
  echo "$pid" >"$RUN_DIR/$name.pid"
}

port_open() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The last lines of a service's log, cut short: its errors carry whole stack traces.
log_tail() { tail -n 5 "$RUN_DIR/$1.log" | cut -c1-400; }

# `operator cluster health` answers once the frontend serves; the namespace is usable when the
# frontend's namespace cache has it, which `namespace describe` shows.
wait_until() {
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    local name
    for name in "${SERVICES[@]}"; do
      [ -z "$(pid_of "$name")" ] || is_running "$name" || die "$name exited while waiting for $what: $(log_tail "$name")"
    done
    [ "$SECONDS" -lt "$deadline" ] || die "$what: not ready after $seconds s"
    sleep 1
  done
}

search_attributes() {
  local compiled="$ROOT/dist/libs/contracts/src/search-attributes.js"
  [ -f "$compiled" ] || die "$compiled is missing: run npm run build first"
  node -e '
    const { KUDAK_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_CLI_TYPES } = require(process.argv[1]);
    for (const key of KUDAK_SEARCH_ATTRIBUTES) console.log(`${key.name} ${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]}`);
  ' "$compiled"
}

register() {
  if ! temporal_cli operator namespace describe >/dev/null 2>&1; then
    log "registering the namespace $NAMESPACE"
    temporal_cli operator namespace create --retention 72h >&2
  fi
  # The namespace is in the database at once, in the services' namespace caches some seconds later.
  wait_until "the namespace $NAMESPACE" 90 temporal_cli operator search-attribute list
  local name type flags=()
  while read -r name type; do flags+=(--name "$name" --type "$type"); done < <(search_attributes)
  log "registering the search attributes: ${flags[*]}"
  temporal_cli operator search-attribute create "${flags[@]}" >&2
}

start() {
  build
  search_attributes >/dev/null
  if is_running frontend; then
    log "reusing the cluster in $RUN_DIR"
  else
    stop_all
    mkdir -p "$RUN_DIR"
    # PostgreSQL runs as `postgres` and must reach its data dir inside (mktemp -d makes it 0700).
    chmod 755 "$RUN_DIR"
    # Whatever fails from here on, nothing this run started is left running.
    trap 'log "start failed; stopping what was started"; stop_all' EXIT
    local ports
    mapfile -t ports < <(node "$ROOT/scripts/free-ports.js" 9)
    printf '%s\n' "frontend_grpc=${ports[0]}" "frontend_membership=${ports[1]}" "frontend_http=${ports[2]}" \
      "history_grpc=${ports[3]}" "history_membership=${ports[4]}" "matching_grpc=${ports[5]}" \
      "matching_membership=${ports[6]}" "worker_grpc=${ports[7]}" "worker_membership=${ports[8]}" >"$RUN_DIR/ports"
    start_postgres
    create_schemas
    write_config
    local name
    # One at a time: the first to start writes the cluster's metadata, and two at once collide.
    for name in "${SERVICES[@]}"; do
      start_service "$name"
      wait_until "$name's port" 120 port_open "$(port_of "${name}_grpc")"
    done
    wait_until "the frontend" 120 temporal_cli operator cluster health
    register
    trap - EXIT
    log "ready: four services on $(address), logs in $RUN_DIR"
  fi
  echo "TEMPORAL_ADDRESS=$(address)"
  cat "$RUN_DIR/app-database"
}

stop_all() {
  local name
  for name in worker frontend matching history; do
    is_running "$name" && kill "$(pid_of "$name")" 2>/dev/null || true
  done
  for name in worker frontend matching history; do
    local waited=0
    while is_running "$name" && [ "$waited" -lt 20 ]; do
      sleep 0.5
      waited=$((waited + 1))
    done
    is_running "$name" && kill -9 "$(pid_of "$name")" 2>/dev/null || true
    rm -f "$RUN_DIR/$name.pid"
  done
  [ -d "$PG_DIR" ] && KUDAK_PG_DIR="$PG_DIR" bash "$ROOT/scripts/test-postgres.sh" stop || true
  [ -d "$RUN_DIR" ] && [ -f "$RUN_DIR/ports" ] && rm -rf "$RUN_DIR"
  return 0
}

status() {
  [ -f "$RUN_DIR/ports" ] || {
    log "no cluster in $RUN_DIR"
    return 1
  }
  local name down=0 total=0
  for name in "${SERVICES[@]}"; do
    if is_running "$name"; then
      local rss
      rss="$(ps -o rss= -p "$(pid_of "$name")" | tr -d ' ')"
      total=$((total + rss))
      echo "$name running (pid $(pid_of "$name"), RSS $((rss / 1024)) MB)"
    else
      echo "$name stopped"
      down=1
    fi
  done
  echo "RSS of the four services: $((total / 1024)) MB"
  echo "TEMPORAL_ADDRESS=$(address)"
  return "$down"
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop_all ;;
  status) status ;;
  start-service)
    [[ " ${SERVICES[*]} " == *" ${2:-none} "* ]] || die "start-service needs one of: ${SERVICES[*]}"
    [ -f "$CONFIG" ] || die "no cluster in $RUN_DIR"
    start_service "$2"
    ;;
  *) die "usage: $0 start|stop|status|build|start-service <${SERVICES[*]// /|}>" ;;
esac
