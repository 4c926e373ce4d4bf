#!/usr/bin/env bash
# Any of the first 1,000 pages of the 2,000,000-contribution list, in any order (pages.lua), before
# and after a change, alternating the two binaries on the same copy of the database:
#
#   BEFORE=/path/to/old/passerelle bash bench/consultations/deep_pages.sh
#
# AFTER defaults to build-bench/passerelle (bench/consultations/run.sh builds it and the cached
# database). Each round: a fresh server, 10 s of warm-up, then 20 s measured, with the page cache
# on (as shipped) and then off (PASSERELLE_PAGE_CACHE_MB=0). Prints medians of p99 and requests/s.
# Knobs: BENCH_ROUNDS (3), CONNECTIONS (64), CONTRIBUTIONS/VOTES/ARGUMENTS (the cached database).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
source bench/lib.sh
before=${BEFORE:?BEFORE=chemin du binaire de référence}
after=${AFTER:-$PWD/build-bench/passerelle}
rounds=${BENCH_ROUNDS:-3}
connections=${CONNECTIONS:-64}
base=var/bench/consultations-${CONTRIBUTIONS:-2000000}-${VOTES:-10000000}-${ARGUMENTS:-1000000}
[ -s "$base.db" ] || die "$base.db manquant : lancer d'abord bench/consultations/run.sh"
work=$(mktemp -d "$PWD/var/bench/deep-pages.XXXXXX")
server_pid=""
trap 'stop_pid "$server_pid" TERM; rm -rf "$work"' EXIT
# One copy per binary, each migrated by it (a server refuses a schema newer than its own).
for who in before after; do
  cp "$base.db" "$work/$who.db"
  cp -r "$base.search" "$work/$who.search"
done
"$before" migrate --db "sqlite:$work/before.db" >&2
"$after" migrate --db "sqlite:$work/after.db" >&2
process=$(sqlite3 "$work/after.db" "SELECT id FROM processes ORDER BY id LIMIT 1")

measure() {  # measure before|after CACHE_MB → "rps p99_ms"
  local port bin=$before
  [ "$1" = after ] && bin=$after
  port=$(pick_port)
  PASSERELLE_PAGE_CACHE_MB=$2 "$bin" serve --db "sqlite:$work/$1.db" --search-dir "$work/$1.search" --listen "127.0.0.1:$port" >>"$work/serve.log" 2>&1 &
  server_pid=$!
  until healthz_ok "$port"; do kill -0 "$server_pid" 2>/dev/null || die "le serveur s'est arrêté"; sleep 0.2; done
  PROCESS=$process wrk -t2 -c"$connections" -d10s -s bench/consultations/pages.lua "http://127.0.0.1:$port" >/dev/null 2>&1
  PROCESS=$process wrk -t2 -c"$connections" -d20s --latency -s bench/consultations/pages.lua "http://127.0.0.1:$port" >"$work/wrk.txt" 2>&1
  stop_pid "$server_pid" TERM; server_pid=""
  read -r rps p99 errors _ < <(parse_wrk "$work/wrk.txt")
  [ "$errors" = 0 ] || die "$errors erreurs ($1)"
  echo "$rps $p99"
}

declare -A rps p99
for ((r = 1; r <= rounds; r++)); do
  for cache in 64 0; do
    for who in before after; do
      read -r a b < <(measure "$who" "$cache")
      say "tour $r, cache $cache Mo, $who : $a req/s, p99 $b ms"
      rps[$who-$cache]+="$a "; p99[$who-$cache]+="$b "
    done
  done
done
echo "wrk -t2 -c$connections, pages.lua (any of the first 1,000 pages, four orders), $rounds rounds, medians:"
for cache in 64 0; do
  for who in before after; do
    printf '%-6s cache %2s MB: p99 %s ms, %s requests/s (p99 runs: %s)\n' "$who" "$cache" \
      "$(tr ' ' '\n' <<<"${p99[$who-$cache]}" | grep . | median)" "$(tr ' ' '\n' <<<"${rps[$who-$cache]}" | grep . | median)" "${p99[$who-$cache]}"
  done
done
