# Sourced by the write benchmarks: the settings they share, their servers' cleanup, and
# writer_token, which makes a user who is a member of every company of the benchmark's data and
# prints its API token.
shared=$(cd ../shared/bench && pwd)
PG=${PG:-postgres://postgres@127.0.0.1:5432}
cache=${BENCH_CACHE:-${TMPDIR:-/tmp}/peer-bench}
conns=${CONNS:-16}
work=$(mktemp -d)
pids=(); cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }; trap cleanup EXIT

writer_token() {
  local token uid
  token=$(DATABASE_URL="$PG/peer_bench_project" python server.py create-user \
    --email "writer$RANDOM$RANDOM@example.com" --name Writer 2>&1 | grep -o 'itk_[A-Za-z0-9_-]*' | tail -n 1)
  uid=$(psql "$PG/peer_bench_project" -Atc "SELECT max(id) FROM users")
  psql "$PG/peer_bench_project" -qc "INSERT INTO memberships (role, created_at, company_id, user_id)
    SELECT 'member', now(), id, $uid FROM companies ON CONFLICT DO NOTHING" >/dev/null
  echo "$token"
}
