#!/usr/bin/env bash
# Instructions executed by the event loops per request, counted by valgrind's callgrind: a measure
# that other work on the machine does not disturb, to compare two builds of the hot path.
#
#   PASSERELLE_BIN=build/passerelle bash bench/callgrind.sh [PATH...]   # default: /t/grand-angouleme/ /healthz
#
# Each path: a fresh server on the SQLite demo data under callgrind (collection limited to the
# io_context threads), wrk -t1 -c4 for BENCH_SECONDS (10), then Ir / requests. Needs valgrind and wrk.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
BIN=${PASSERELLE_BIN:-build/passerelle}
seconds=${BENCH_SECONDS:-10}
[ -x "$BIN" ] || { echo "callgrind.sh : binaire introuvable : $BIN (scripts/build.sh release)" >&2; exit 1; }
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ $# -gt 0 ] || set -- /t/grand-angouleme/ /healthz

tmp=$(mktemp -d /tmp/passerelle-callgrind.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -INT "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
db="sqlite:$tmp/bench.db"
"$BIN" migrate --db "$db" >/dev/null
"$BIN" seed-demo --db "$db" >/dev/null

for path in "$@"; do
  port=$((20000 + RANDOM % 20000))
  valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out" --dump-instr=no --collect-atstart=no \
    --toggle-collect='boost::asio::detail::scheduler::run*' \
    "$BIN" serve --db "$db" --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 600; i++)); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
  requests=$(timeout $((seconds + 30)) wrk -t1 -c4 -d"${seconds}s" "http://127.0.0.1:$port$path" | awk '/ requests in / {print $1}')
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  total=$(callgrind_annotate "$tmp/callgrind.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(/,/, "", $1); print $1}')
  awk -v p="$path" -v n="$requests" -v t="$total" 'BEGIN {printf "%s: %d requests, %.0f instructions per request\n", p, n, t / n}'
done
