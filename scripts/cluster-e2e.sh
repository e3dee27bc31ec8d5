#!/usr/bin/env bash
# CI step: Kudak on a real Temporal cluster. Starts scripts/temporal-cluster.sh (four Temporal
# services on PostgreSQL), runs the API end-to-end suite against it, then the fault run
# (test/cluster/fault-run.cluster.ts: two workers and two APIs, one worker and the history
# service killed mid-run; it prints a `cluster: ...` summary line), the load benchmark's short
# form (bench/load.bench.ts --short: its table of ratios to bare Temporal on the same cluster),
# prints the services' memory, and stops everything it started, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

export KUDAK_CLUSTER_DIR="${KUDAK_CLUSTER_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/kudak-temporal-cluster-XXXXXX")}"
stop_cluster() {
  bash scripts/temporal-cluster.sh stop || true
  rmdir "$KUDAK_CLUSTER_DIR" 2>/dev/null || true
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# `npm test` has built dist/ when CI gets here; a run of its own builds it.
[ -f dist/apps/worker/main.js ] || npm run --silent build

echo "== Temporal cluster (frontend, history, matching, worker on PostgreSQL)"
said="$(bash scripts/temporal-cluster.sh start)"
KUDAK_TEST_TEMPORAL_ADDRESS="$(sed -n 's/^TEMPORAL_ADDRESS=//p' <<<"$said")"
# Kudak's own database for the tests: a database on the cluster's PostgreSQL server.
TEST_DATABASE_URL="$(sed -n 's/^TEST_DATABASE_URL=//p' <<<"$said")"
export KUDAK_TEST_TEMPORAL_ADDRESS TEST_DATABASE_URL
echo "cluster at $KUDAK_TEST_TEMPORAL_ADDRESS"

echo "== API end-to-end suite on the cluster"
npx jest test/api.e2e.spec.ts

echo "== services after the suite"
bash scripts/temporal-cluster.sh status

echo "== fault run: two workers and two APIs; a worker and the history service killed mid-run"
npx jest --runInBand --testMatch '<rootDir>/test/cluster/*.cluster.ts'

echo "== services after the fault run"
bash scripts/temporal-cluster.sh status

echo "== load benchmark, short form, on the cluster (figures against bare Temporal on the same cluster)"
node dist/bench/load.bench.js --short --temporal "$KUDAK_TEST_TEMPORAL_ADDRESS"

echo "== services after the load benchmark"
bash scripts/temporal-cluster.sh status
