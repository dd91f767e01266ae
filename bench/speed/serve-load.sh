#!/usr/bin/env bash
# Load on the search API of `kb serve`: wrk (Debian) against a corpus folder, top-10 hits
# with snippets and facets, rotating over bench/speed/serve-load.lua's queries.
#   bench/speed/serve-load.sh CORPUS_DIR [DURATION=30s] [CONNECTIONS=8] [IDLE=0]
# IDLE > 0 is the slowloris mode: kb-holdconns keeps that many connections open during
# the measured runs, half idle and half dripping a request line a byte a second.
# Runs twice: the query mix repeated (as visitors repeat searches; the result cache
# answers) and every query unique (no cache). Prints wrk's requests/s and latency percentiles (p99 is the target: <= 50 ms at >= 1000
# requests/s on 2 cores).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:?usage: serve-load.sh CORPUS_DIR [DURATION] [CONNECTIONS]}
duration=${2:-30s}
connections=${3:-8}
idle=${4:-0}
mix=${MIX:-} # MIX=general: the query mix for general documentation (man pages)
kb=${KB:-$here/../../build/app/kb}
holdconns=${HOLDCONNS:-$here/../../build/bench/kb-holdconns}
command -v wrk >/dev/null || { echo "serve-load: install wrk (apt-get install wrk)" >&2; exit 2; }

port=$((20000 + RANDOM % 20000))
log=$(mktemp)
"$kb" --root "$corpus" serve --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 600); do # the first start may build the index
  grep -q "http://" "$log" && break
  sleep 0.5
done
grep -q "http://" "$log" || { cat "$log" >&2; exit 1; }
url="http://127.0.0.1:$port"
curl -fsS "$url/api/search?q=warmup" >/dev/null
echo "# warm-up 5s"
wrk -t2 -c"$connections" -d5s -s "$here/serve-load.lua" "$url" -- $mix >/dev/null
if [ "$idle" -gt 0 ]; then
  "$holdconns" "$port" "$idle" 100000 >/dev/null &
  holder=$!
  trap 'kill $holder $server 2>/dev/null; rm -f "$log"' EXIT
  sleep 2
  echo "# holding $idle connections open (half idle, half dripping) during the runs"
fi
echo "# repeated queries (result cache answers): wrk -t2 -c$connections -d$duration --latency"
wrk -t2 -c"$connections" -d"$duration" --latency -s "$here/serve-load.lua" "$url" -- $mix
echo "# every query unique (each runs a real search): same, -- uncached"
wrk -t2 -c"$connections" -d"$duration" --latency -s "$here/serve-load.lua" "$url" -- uncached $mix
echo "# server peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
