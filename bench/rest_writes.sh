#!/usr/bin/env bash
# The REST faces' issue creation beside GraphQL's createIssue and the limit's W2, with wrk on the data
# `../shared/bench/write-bench` leaves behind (run that first: it seeds peer_bench and peer_bench_project).
#   bench/rest_writes.sh        from the project's root, in its virtual environment
# Settings: SECONDS_PER_RUN (8), ROUNDS (2), CONNS (16), PG, BENCH_CACHE (as write-bench).
set -euo pipefail
[[ -f server.py ]] || { echo "rest_writes: run it from the project's root"; exit 2; }
# shellcheck source=bench/writer.sh
source "$(dirname "$0")/writer.sh"
secs=${SECONDS_PER_RUN:-8}; rounds=${ROUNDS:-2}
token=$(writer_token)
python - "$work" <<'PY'
import base64, json, sys
w = sys.argv[1]
gid = lambda t, n: base64.b64encode(f"{t}:{n}".encode()).decode().rstrip("=")
q = "mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { id name createdAt } errors { code } } }"
def write(name, rows):
    with open(f"{w}/{name}", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
write("graphql", ({"query": q, "variables": {"input": {"name": f"bench issue {n}", "description": "d",
                                                      "categoryIds": [gid("Category", n)]}}} for n in range(1, 201)))
write("connectnow", ({"name": f"bench issue {n}", "description": "d", "severity": "info", "category_ids": [n]}
                     for n in range(1, 201)))
write("kinetic", ({"name": f"bench issue {n}", "description": "d"} for n in range(1, 201)))
write("raw", ({"name": f"bench issue {n}", "categoryId": n} for n in range(1, 201)))
PY
BENCH_DSN="$PG/peer_bench" "$cache/venv/bin/python" "$shared/raw_writes.py" 8811 & pids+=($!)
DATABASE_URL="$PG/peer_bench_project" PORT=8814 HOST=127.0.0.1 LOG_LEVEL=WARNING DISPATCHER_IN_SERVER=false \
  MIGRATE_ON_START=false python server.py serve >"$work/project.log" 2>&1 & pids+=($!)
for port in 8811 8814; do for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done; done
sleep 2
run() { BODIES=$2 TOKEN=${3:-} wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$shared/bodies.lua" "$1" 2>&1 |
  awk '/Requests\/sec/{r=$2} /Non-2xx/{e=$NF} / 99%/{p=$2; if (p ~ /us$/) {sub(/us$/,"",p); p=p/1000} else if (p ~ /ms$/) {sub(/ms$/,"",p)} else if (p ~ /s$/) {sub(/s$/,"",p); p=p*1000}} END{printf "%s %s %s\n", r+0, p+0, e+0}'; }
faces=("limit (W2)|http://127.0.0.1:8811/w2|raw|"
       "createIssue|http://127.0.0.1:8814/graphql|graphql|$token"
       "POST /api/issues|http://127.0.0.1:8814/api/issues|connectnow|$token"
       "POST /api/v1/issues|http://127.0.0.1:8814/api/v1/issues|kinetic|$token")
printf "%-22s %10s %10s %8s   (best of %s rounds, %ss each, wrk -t1 -c%s)\n" face "req/s" "p99 ms" non-2xx "$rounds" "$secs" "$conns"
for f in "${faces[@]}"; do
  IFS='|' read -r name url bodies key <<<"$f"
  best=$(for _ in $(seq "$rounds"); do run "$url" "$work/$bodies" "$key"; done | sort -k1 -g -r | head -n 1)
  read -r r p e <<<"$best"; printf "%-22s %10s %10s %8s\n" "$name" "$r" "$p" "$e"
done
