#!/usr/bin/env bash
# Consultations at the scale of the Grand Débat, in one command, against nginx in the same run:
#
#   bash bench/consultations/run.sh                         # 2,000,000 contributions, 10,000,000 votes, 1,000,000 arguments
#   CONTRIBUTIONS=200000 VOTES=1000000 ARGUMENTS=100000 bash bench/consultations/run.sh   # quick run
#
# 1. Builds passerelle and the generators (build-bench/, Release), makes the text corpus if missing
#    (bench/search's generator, 100,000 documents) and seeds the database once (cached in
#    var/bench/consultations-N.db with its search index; remade when the generator or the
#    migrations change). Each run works on a copy.
# 2. wrk -t2 -c64 --latency, BENCH_ROUNDS rounds alternating Passerelle and nginx (serving a static
#    file with the very bytes Passerelle answered), medians:
#    - the first page (20 contributions) of each of the four orders;
#    - the contribution with 50 arguments and 200 comments;
#    then Passerelle alone on any of the first 1,000 pages in any order (pages.lua), and its VmRSS.
# 3. Votes over the JSON API (votes.lua: each request a new vote), with synchronous_commit off
#    (crash-safe) and on (power-loss-safe, group commit); then the SIGKILL check (kill_check.mjs):
#    every acknowledged vote must be in the database after the kill.
# 4. `passerelle export --format csv` of the whole process: time and peak resident memory.
# The page cache is on, as shipped; the deep pages are also measured without it.
#
# Knobs: CONTRIBUTIONS, VOTES, ARGUMENTS, BENCH_DURATION (10 s), BENCH_ROUNDS (3), RESEARCH_DATA.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
root=$PWD
# shellcheck source=bench/lib.sh
source bench/lib.sh
command -v sqlite3 >/dev/null || die "sqlite3 manquant (apt-get install sqlite3)"
command -v node >/dev/null || die "node manquant"

n=${CONTRIBUTIONS:-2000000}
votes=${VOTES:-10000000}
arguments=${ARGUMENTS:-1000000}
duration=${BENCH_DURATION:-10}
rounds=${BENCH_ROUNDS:-3}
build=$root/build-bench
data_dir=${RESEARCH_DATA:-/work/shared/research-data}

say "compilation ($build)"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPASSERELLE_BENCH=ON -DPASSERELLE_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target passerelle bench_consultations_generate bench_search_generate >/dev/null
BIN=$build/passerelle

# --- Data, cached ------------------------------------------------------------------------------------
mkdir -p var/bench
corpus=var/bench/docs-100000-seed42.jsonl
if [ ! -s "$corpus" ]; then
  say "corpus de textes ($corpus)"
  "$build/bench_search_generate" --docs 100000 --seed 42 --data "$data_dir" --out "$corpus.tmp"
  mv "$corpus.tmp" "$corpus"
fi
base=var/bench/consultations-$n-$votes-$arguments
# Remade when the generator changes; a later migration is applied to each working copy instead.
stamp=$(sha256sum <bench/consultations/generate.cpp | cut -c1-16)
if [ "$(cat "$base.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "génération : $n contributions, $votes votes, $arguments arguments"
  rm -rf "$base.db" "$base.db-wal" "$base.db-shm" "$base.search" "$base.tokens"
  t0=$EPOCHREALTIME
  "$build/bench_consultations_generate" --db "$base.db" --corpus "$corpus" --contributions "$n" --votes "$votes" \
    --arguments "$arguments" --tokens "$base.tokens" >&2
  t1=$EPOCHREALTIME
  say "génération : $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", b - a}') s ; index de recherche"
  "$BIN" reindex --db "sqlite:$base.db" --search-dir "$base.search" >&2
  t2=$EPOCHREALTIME
  say "index : $(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.0f", b - a}') s"
  echo "$stamp" >"$base.stamp"
fi

out=$root/var/bench/consultations-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
work=$(mktemp -d "$root/var/bench/consultations-work.XXXXXX")
chmod 755 "$work"
say "copie de travail ($work)"
cp "$base.db" "$work/bench.db"
cp -r "$base.search" "$work/search"
"$BIN" migrate --db "sqlite:$work/bench.db" >&2
tokens=$base.tokens
server_pid=""
nginx_pid=""
cleanup() {
  stop_pid "$server_pid" TERM
  stop_pid "$nginx_pid" QUIT
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {  # start_server PORT [ENV=VALUE…]
  local port=$1 i
  shift
  env "$@" "$BIN" serve --db "sqlite:$work/bench.db" --search-dir "$work/search" --listen "127.0.0.1:$port" >>"$out/serve.log" 2>&1 &
  server_pid=$!
  for ((i = 0; i < 600; i++)); do
    healthz_ok "$port" && return 0
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$out/serve.log" >&2; die "passerelle s'est arrêté au démarrage"; }
    sleep 0.1
  done
  die "passerelle ne répond pas après 60 s"
}
run_wrk() {  # run_wrk NAME URL SECONDS [wrk options…]
  local name=$1 url=$2 seconds=$3
  shift 3
  timeout $((seconds + 30)) wrk -t2 -c64 -d"$seconds"s --latency "$@" "$url" >"$out/$name.txt" 2>&1 || die "wrk a échoué ($name), voir $out/$name.txt"
}

pport=$(pick_port)
start_server "$pport"
process=$(sqlite3 "$work/bench.db" "SELECT id FROM processes ORDER BY id LIMIT 1")
showcase=$(sqlite3 "$work/bench.db" "SELECT contribution_id FROM contribution_comments GROUP BY contribution_id ORDER BY count(*) DESC LIMIT 1")
rss_start=$(rss_kb "$server_pid" VmRSS)
say "passerelle pid $server_pid sur 127.0.0.1:$pport, VmRSS $rss_start kB"

# --- 2. Pages against nginx ----------------------------------------------------------------------
declare -A path
path[recentes]="/consultations/$process?tri=recentes"
path[soutenues]="/consultations/$process?tri=soutenues"
path[debattues]="/consultations/$process?tri=debattues"
path[aleatoire]="/consultations/$process?tri=aleatoire"
path[contribution]="/contributions/$showcase"
keys="recentes soutenues debattues aleatoire contribution"
locations=""
for key in $keys; do
  curl -fsS -m 10 -o "$work/www-$key" "http://127.0.0.1:$pport${path[$key]}" || die "${path[$key]} ne répond pas"
  locations+="    location = /$key { default_type \"text/html; charset=utf-8\"; }"$'\n'
done
nport=$(pick_port)
while [ "$nport" = "$pport" ]; do nport=$(pick_port); done
nginx_conf "$work" "$nport" "$locations"
for key in $keys; do mv "$work/www-$key" "$work/www/$key"; done
chmod 644 "$work/www/"*
"$NGINX" -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' 2>>"$out/nginx.log" &
nginx_pid=$!
until healthz_ok "$nport" /recentes; do kill -0 "$nginx_pid" 2>/dev/null || die "nginx s'est arrêté au démarrage"; sleep 0.1; done

declare -A rps p99 errs
for key in $keys; do
  run_wrk "$key-warmup" "http://127.0.0.1:$pport${path[$key]}" 2
  for ((r = 1; r <= rounds; r++)); do
    for who in passerelle nginx; do
      url="http://127.0.0.1:$pport${path[$key]}"
      [ "$who" = nginx ] && url="http://127.0.0.1:$nport/$key"
      say "$key : $who, tour $r/$rounds"
      run_wrk "$key-$who-$r" "$url" "$duration"
      read -r a b c _ < <(parse_wrk "$out/$key-$who-$r.txt")
      rps[$key-$who]+="$a "; p99[$key-$who]+="$b "; errs[$key-$who]=$(( ${errs[$key-$who]:-0} + c ))
    done
  done
done
stop_pid "$nginx_pid" QUIT; nginx_pid=""

say "1 000 premières pages, tous ordres (pages.lua) : préchauffage du cache, puis mesure"
PROCESS=$process PAGES=1000 run_wrk pages-1000-warmup "http://127.0.0.1:$pport" "$duration" -s bench/consultations/pages.lua
PROCESS=$process PAGES=1000 run_wrk pages-1000 "http://127.0.0.1:$pport" $((duration * 2)) -s bench/consultations/pages.lua
read -r pages_rps pages_p99 pages_err _ < <(parse_wrk "$out/pages-1000.txt")
sleep 1
rss_after=$(rss_kb "$server_pid" VmRSS)
hwm_after=$(rss_kb "$server_pid" VmHWM)
say "1 000 premières pages, sans cache des pages"
stop_pid "$server_pid" TERM
start_server "$pport" PASSERELLE_PAGE_CACHE_MB=0
PROCESS=$process PAGES=1000 run_wrk pages-1000-nocache "http://127.0.0.1:$pport" $((duration * 2)) -s bench/consultations/pages.lua
read -r nocache_rps nocache_p99 nocache_err _ < <(parse_wrk "$out/pages-1000-nocache.txt")
PROCESS=$process PAGES=1000 timeout $((duration * 2 + 30)) wrk -t2 -c8 -d$((duration * 2))s --latency -s bench/consultations/pages.lua "http://127.0.0.1:$pport" >"$out/pages-1000-nocache-c8.txt" 2>&1 || true
read -r nocache8_rps nocache8_p99 _ _ < <(parse_wrk "$out/pages-1000-nocache-c8.txt")

# --- 3. Votes --------------------------------------------------------------------------------------
vote_run() {  # vote_run NAME: one wrk run of votes.lua against the running server
  TOKENS=$tokens N=$n run_wrk "$1" "http://127.0.0.1:$pport" "$duration" -s bench/consultations/votes.lua
  parse_wrk "$out/$1.txt"
}
declare -A vrps vp99 verr
for ((r = 1; r <= rounds; r++)); do
  for mode in crash power; do
    stop_pid "$server_pid" TERM
    if [ "$mode" = power ]; then start_server "$pport" PASSERELLE_SYNCHRONOUS_COMMIT=true; else start_server "$pport"; fi
    say "votes ($mode), tour $r/$rounds"
    read -r a b c _ < <(vote_run "votes-$mode-$r")
    vrps[$mode]+="$a "; vp99[$mode]+="$b "; verr[$mode]=$(( ${verr[$mode]:-0} + c ))
  done
done

say "votes interrompus par SIGKILL"
stop_pid "$server_pid" TERM
start_server "$pport"
t_kill=$(date +%s)
kill_json=$(node bench/consultations/kill_check.mjs "http://127.0.0.1:$pport" "$server_pid" "$tokens" "$n" "$work/acked.csv" 3 32)
wait "$server_pid" 2>/dev/null || true
server_pid=""
sqlite3 "$work/bench.db" "CREATE TEMP TABLE acked (user_id INTEGER, target INTEGER);" ".mode csv" ".import $work/acked.csv acked" \
  "SELECT count(*) FROM acked;" \
  "SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM votes v WHERE v.target_kind = 'contribution' AND v.target_id = a.target AND v.voter = 'u:' || a.user_id AND v.updated_at >= $t_kill);" \
  >"$out/kill-check.txt"
kill_acked=$(sed -n 1p "$out/kill-check.txt")
kill_lost=$(sed -n 2p "$out/kill-check.txt")

# --- 4. Export ---------------------------------------------------------------------------------------
say "export CSV"
/usr/bin/time -f "%e %M" -o "$out/export.time" "$BIN" export --process "$process" --format csv --db "sqlite:$work/bench.db" \
  2>"$out/export.log" | wc -c >"$out/export.bytes" || die "export échoué, voir $out/export.log"
read -r export_s export_kb <"$out/export.time"
export_rows=$(grep -o '[0-9]\+' "$out/export.log" | tail -1)

# --- Report ------------------------------------------------------------------------------------------
med() { tr ' ' '\n' <<<"$1" | grep -v '^$' | median; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN {printf f, v}'; }
ok() { awk "BEGIN {print (($1) ? \"atteint\" : \"**manqué**\")}"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k * 1024 / 1e6}'; }
{
  echo "## Consultations at scale, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
  echo "Data: one process with $n contributions, $votes votes, $arguments arguments (bench/consultations/generate.cpp), SQLite."
  echo "wrk -t2 -c64 -d${duration}s --latency, $rounds rounds alternating Passerelle and nginx (the same bytes as a static file); medians."
  echo
  echo "| Measure | Passerelle | nginx | Ratio | Target | Result |"
  echo "|---|---:|---:|---:|---|---|"
  for key in $keys; do
    pr=$(med "${rps[$key-passerelle]}"); nr=$(med "${rps[$key-nginx]}"); pp=$(med "${p99[$key-passerelle]}")
    ratio=$(awk -v a="$pr" -v b="$nr" 'BEGIN {printf "%.2f", a / b}')
    bytes=$(wc -c <"$work/www/$key")
    if [ "$key" = contribution ]; then
      echo "| contribution with 50 arguments and 200 comments ($bytes bytes), p99 | $(fmt "$pp" %.2f) ms | $(fmt "$(med "${p99[$key-nginx]}")" %.2f) ms | | < 20 ms | $(ok "$pp < 20") |"
      echo "| … requests/s | $(fmt "$pr" %.0f) | $(fmt "$nr" %.0f) | $ratio | | |"
    else
      echo "| first page, $key ($bytes bytes), requests/s | $(fmt "$pr" %.0f) | $(fmt "$nr" %.0f) | $ratio | ≥ 0.30 × nginx | $(ok "$ratio >= 0.30") |"
      echo "| … p99 | $(fmt "$pp" %.2f) ms | $(fmt "$(med "${p99[$key-nginx]}")" %.2f) ms | | | |"
    fi
  done
  echo "| any of the first 1,000 pages, any order, page cache warm: p99 ($(fmt "$pages_rps" %.0f) requests/s) | $(fmt "$pages_p99" %.2f) ms | | | < 20 ms | $(ok "$pages_p99 < 20") |"
  echo "| … without the page cache, 64 connections: p99 ($(fmt "$nocache_rps" %.0f) requests/s) | $(fmt "$nocache_p99" %.2f) ms | | | (reference) | |"
  echo "| … without the page cache, 8 connections: p99 ($(fmt "$nocache8_rps" %.0f) requests/s) | $(fmt "$nocache8_p99" %.2f) ms | | | (reference) | |"
  echo "| VmRSS after the page runs (peak VmHWM $(mb "$hwm_after") MB; $(mb "$rss_start") MB at start) | $(mb "$rss_after") MB | | | < 1 GB | $(ok "$hwm_after * 1024 < 1e9") |"
  cr=$(med "${vrps[crash]}"); pw=$(med "${vrps[power]}")
  echo "| votes over HTTP, synchronous_commit off (crash-safe), acknowledged/s | $(fmt "$cr" %.0f) | | | ≥ 5,000 | $(ok "$cr >= 5000") |"
  echo "| … p99 | $(fmt "$(med "${vp99[crash]}")" %.2f) ms | | | | |"
  echo "| votes over HTTP, synchronous_commit on (power-loss-safe, group commit), acknowledged/s | $(fmt "$pw" %.0f) | | $(awk -v a="$pw" -v b="$cr" 'BEGIN {printf "%.2f", a / b}') of off | (cost measured) | |"
  echo "| … p99 | $(fmt "$(med "${vp99[power]}")" %.2f) ms | | | | |"
  echo "| votes acknowledged before SIGKILL, missing after ($kill_json) | $kill_lost of $kill_acked | | | 0 | $(ok "$kill_lost == 0 && $kill_acked > 0") |"
  echo "| CSV export of $export_rows contributions ($(cat "$out/export.bytes") bytes): time | $(fmt "$export_s" %.1f) s | | | < 60 s | $(ok "$export_s < 60") |"
  echo "| … peak resident memory | $(mb "$export_kb") MB | | | < 200 MB | $(ok "$export_kb * 1024 < 200e6") |"
  echo
  echo "Runs (requests/s): $(for key in $keys; do echo -n "$key passerelle ${rps[$key-passerelle]% }, nginx ${rps[$key-nginx]% }; "; done)votes off ${vrps[crash]% }, on ${vrps[power]% }."
  echo "Errors (non-2xx or socket): $(for key in $keys; do echo -n "$key ${errs[$key-passerelle]}/${errs[$key-nginx]}; "; done)pages $pages_err; votes ${verr[crash]}/${verr[power]}."
  echo "Raw outputs: $out"
} | tee "$out/results.md"
