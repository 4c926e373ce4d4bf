#!/usr/bin/env bash
# Passerelle benchmarks, each measured in the same run as its nginx reference, on 127.0.0.1 only.
#
#   bash bench/run.sh                                  # builds build/passerelle (scripts/build.sh release)
#   PASSERELLE_BIN=/path/to/passerelle bash bench/run.sh
#
# What it measures (docs/performance.md explains the targets and the results):
#   1. wrk -t2 -c64 -d10s --latency on /t/grand-angouleme/ (rendered from the SQLite demo data) and on
#      nginx serving a static file with exactly the same body bytes;
#   2. the same on /healthz and on an nginx static file with the same body ("ok\n");
#      each pair runs BENCH_ROUNDS times alternating passerelle, nginx, passerelle, nginx… (medians);
#   3. VmRSS of the idle server right after start and after the load;
#   4. start-up time from spawn to the first 200 on /healthz, polled tightly, BENCH_STARTS times (median),
#      alternating with nginx's own start-up measured the same way.
# Beside requests/s and p99 it reports the server's CPU time per request (from /proc/PID/task/*/schedstat),
# which a machine busy with other work disturbs far less than throughput.
# Every step is bounded in time (wrk runs under `timeout`, start-ups give up after 20 s); about 2.5 min.
# It prints a Markdown table on standard output and keeps the raw outputs in BENCH_OUT.
#
# Knobs: BENCH_DURATION (seconds, 10), BENCH_WARMUP (seconds, 2), BENCH_ROUNDS (3), BENCH_STARTS (10),
#        BENCH_OUT (var/bench/<date>). Everything it starts (passerelle, nginx) is stopped on exit.
set -euo pipefail
export LC_ALL=C  # "." as decimal separator in $EPOCHREALTIME, awk and printf
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=bench/lib.sh
source bench/lib.sh

duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-2}
rounds=${BENCH_ROUNDS:-3}
starts=${BENCH_STARTS:-10}
slug=grand-angouleme
page_path=/t/$slug/

# --- Binary -----------------------------------------------------------------------------------
if [ -n "${PASSERELLE_BIN:-}" ]; then
  BIN=$PASSERELLE_BIN
else
  say "compilation (scripts/build.sh release)"
  scripts/build.sh release >&2
  BIN=$root/build/passerelle
fi
[ -x "$BIN" ] || die "binaire introuvable : $BIN"

# --- Work area and clean-up -------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${BENCH_OUT:-$root/var/bench/$stamp}
mkdir -p "$out"
tmp=$(mktemp -d /tmp/passerelle-bench.XXXXXX)
chmod 755 "$tmp"  # nginx workers run as nobody and must read www/
mkdir -p "$tmp/www" "$tmp/nginx"
db="sqlite:$tmp/bench.db"
server_pid=""
nginx_pid=""

cleanup() {
  stop_pid "$server_pid" TERM
  stop_pid "$nginx_pid" QUIT
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts `passerelle serve` on PORT and waits for the first 200 on /healthz; sets server_pid,
# started_us (microseconds from spawn to that answer) and, from /proc/PID/task/*/schedstat at that
# moment, started_cpu_us (time on a CPU, all threads) and started_wait_us (time runnable but waiting
# for a CPU: what a busy machine adds).
start_server() {
  local port=$1 log=$2 t0 t1
  t0=$EPOCHREALTIME
  "$BIN" serve --db "$db" --listen "127.0.0.1:$port" >"$log" 2>&1 &
  server_pid=$!
  until healthz_ok "$port"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; die "passerelle s'est arrêté au démarrage"; }
    t1=$EPOCHREALTIME
    (( ${t1/./} - ${t0/./} < 20000000 )) || die "passerelle ne répond pas après 20 s"
  done
  t1=$EPOCHREALTIME
  started_us=$(( ${t1/./} - ${t0/./} ))
  read -r started_cpu_us started_wait_us < <(cat /proc/"$server_pid"/task/*/schedstat 2>/dev/null |
    awk '{c += $1; w += $2} END {printf "%d %d\n", c / 1000, w / 1000}')
}

# The same for nginx (master and workers) serving healthz.txt: the reference start-up.
start_nginx() {
  local t0 t1
  t0=$EPOCHREALTIME
  "$NGINX" -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" -g 'daemon off;' 2>>"$out/nginx.log" &
  nginx_pid=$!
  until healthz_ok "$nport" /healthz.txt; do
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$out/nginx.log" "$tmp/nginx/error.log" >&2; die "nginx s'est arrêté au démarrage"; }
    t1=$EPOCHREALTIME
    (( ${t1/./} - ${t0/./} < 20000000 )) || die "nginx ne répond pas après 20 s"
  done
  t1=$EPOCHREALTIME
  nginx_started_us=$(( ${t1/./} - ${t0/./} ))
}

run_wrk() {  # run_wrk NAME URL SECONDS → raw output in $out/NAME.txt
  timeout $(( $3 + 30 )) wrk -t2 -c64 -d"$3"s --latency "$2" >"$out/$1.txt" 2>&1 || die "wrk a échoué ($1), voir $out/$1.txt"
}

# --- Data and servers ---------------------------------------------------------------------------
"$BIN" migrate --db "$db" >"$out/migrate.log"
"$BIN" seed-demo --db "$db" >"$out/seed.log"

pport=$(pick_port)
start_server "$pport" "$out/serve.log"
sleep 0.2  # let the start-up settle (scheduler's first tick) before reading VmRSS
rss_start=$(rss_kb "$server_pid" VmRSS)
say "passerelle pid $server_pid sur 127.0.0.1:$pport, VmRSS $rss_start kB"

curl -fsS -m 5 -o "$tmp/www/page.html" "http://127.0.0.1:$pport$page_path" || die "la page $page_path ne répond pas"
curl -fsS -m 5 -o "$tmp/www/healthz.txt" "http://127.0.0.1:$pport/healthz"
cp "$tmp/www/page.html" "$out/page.html"
chmod 644 "$tmp/www/"*

nport=$(pick_port)
while [ "$nport" = "$pport" ]; do nport=$(pick_port); done
nginx_conf "$tmp" "$nport" '
    location = /page.html { default_type "text/html; charset=utf-8"; }
    location = /healthz.txt { default_type "text/plain; charset=utf-8"; }'
start_nginx
curl -fsS -m 5 "http://127.0.0.1:$nport/page.html" | cmp -s - "$tmp/www/page.html" || die "nginx ne sert pas les mêmes octets"
curl -fsS -m 5 "http://127.0.0.1:$nport/healthz.txt" | cmp -s - "$tmp/www/healthz.txt" || die "nginx ne sert pas les mêmes octets (healthz)"
curl -fsS -m 5 "http://127.0.0.1:$pport$page_path" | cmp -s - "$tmp/www/page.html" || die "la page de Passerelle change d'une requête à l'autre"

# --- 1 and 2: throughput and latency, alternating -------------------------------------------------
machine_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A rps p99 errs cpu
bench_pair() {  # bench_pair KEY PASSERELLE_URL NGINX_URL
  local key=$1 r
  say "$key : préchauffage ${warmup} s par serveur"
  run_wrk "$key-warmup-passerelle" "$2" "$warmup"
  run_wrk "$key-warmup-nginx" "$3" "$warmup"
  for ((r = 1; r <= rounds; r++)); do
    for who in passerelle nginx; do
      local url=$2 pid=$server_pid c0 c1 a b c n
      [ "$who" = nginx ] && { url=$3; pid=$nginx_pid; }
      say "$key : $who, tour $r/$rounds (${duration} s)"
      c0=$(cpu_ns "$pid")
      run_wrk "$key-$who-$r" "$url" "$duration"
      c1=$(cpu_ns "$pid")
      read -r a b c n < <(parse_wrk "$out/$key-$who-$r.txt")
      rps[$key-$who]+="$a "; p99[$key-$who]+="$b "; errs[$key-$who]=$(( ${errs[$key-$who]:-0} + c ))
      cpu[$key-$who]+="$(awk -v d="$((c1 - c0))" -v n="$n" 'BEGIN {printf "%.1f", (n > 0 ? d / n / 1000 : 0)}') "
    done
  done
}
bench_pair page "http://127.0.0.1:$pport$page_path" "http://127.0.0.1:$nport/page.html"
bench_pair healthz "http://127.0.0.1:$pport/healthz" "http://127.0.0.1:$nport/healthz.txt"
machine_load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 3: memory of the idle server after the load ---------------------------------------------------
sleep 2  # wrk's connections are closed; the server is idle again
rss_after=$(rss_kb "$server_pid" VmRSS)
hwm_after=$(rss_kb "$server_pid" VmHWM)
stop_pid "$nginx_pid" QUIT; nginx_pid=""
stop_pid "$server_pid" TERM; server_pid=""

# --- 4: start-up time ---------------------------------------------------------------------------
# Alternating with nginx's own start-up (master + 2 workers), measured the same way.
ms() { awk -v us="$1" 'BEGIN {printf "%.1f", us / 1000}'; }
startup_ms=(); startup_cpu_ms=(); startup_wait_ms=(); nginx_startup_ms=()
for ((s = 1; s <= starts; s++)); do
  start_server "$pport" "$out/startup-$s.log"
  startup_ms+=("$(ms "$started_us")"); startup_cpu_ms+=("$(ms "$started_cpu_us")"); startup_wait_ms+=("$(ms "$started_wait_us")")
  stop_pid "$server_pid" TERM; server_pid=""
  start_nginx
  nginx_startup_ms+=("$(ms "$nginx_started_us")")
  stop_pid "$nginx_pid" QUIT; nginx_pid=""
done

# --- Report -------------------------------------------------------------------------------------
med() { tr ' ' '\n' <<<"$1" | grep -v '^$' | median; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN {printf f, v}'; }
verdict() { awk -v c="$1" 'BEGIN {print (c ? "atteint" : "**manqué**")}'; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k * 1024 / 1e6}'; }  # VmRSS is in KiB; MB = 10^6 bytes

declare -A m
for key in page healthz; do
  for who in passerelle nginx; do
    m[$key-$who-rps]=$(med "${rps[$key-$who]}")
    m[$key-$who-p99]=$(med "${p99[$key-$who]}")
    m[$key-$who-cpu]=$(med "${cpu[$key-$who]}")
  done
  m[$key-ratio]=$(awk -v a="${m[$key-passerelle-rps]}" -v b="${m[$key-nginx-rps]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
  # Ratio of each alternating pair, to see how much the noise moves it.
  pairs=""
  read -ra pa <<<"${rps[$key-passerelle]}"; read -ra na <<<"${rps[$key-nginx]}"
  for ((r = 0; r < rounds; r++)); do pairs+=$(awk -v a="${pa[$r]}" -v b="${na[$r]}" 'BEGIN {printf "%.2f ", a / b}'); done
  m[$key-pairs]=$pairs
done
startup_med=$(printf '%s\n' "${startup_ms[@]}" | median)
startup_cpu_med=$(printf '%s\n' "${startup_cpu_ms[@]}" | median)
startup_wait_med=$(printf '%s\n' "${startup_wait_ms[@]}" | median)
nginx_startup_med=$(printf '%s\n' "${nginx_startup_ms[@]}" | median)

{
  echo "## Passerelle vs nginx, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), Linux $(uname -r);" \
       "load average $machine_load_before before the wrk runs, $machine_load_after after."
  echo "Passerelle: \`$("$BIN" --version 2>/dev/null | head -1)\`, $BIN (sha256 $(sha256sum "$BIN" | cut -c1-12)); $("$NGINX" -v 2>&1);" \
       "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
  echo "Page: $page_path from the SQLite demo data ($(wc -c <"$tmp/www/page.html") bytes); /healthz: $(wc -c <"$tmp/www/healthz.txt") bytes."
  echo "wrk -t2 -c64 -d${duration}s --latency, ${rounds} rounds alternating passerelle/nginx after a ${warmup} s warm-up of each; medians."
  echo
  echo "| Measure | Passerelle | nginx | Ratio | Target | Result |"
  echo "|---|---:|---:|---:|---|---|"
  for key in page healthz; do
    label=$page_path; target_ratio=0.50; [ "$key" = healthz ] && { label=/healthz; target_ratio=0.80; }
    echo "| $label requests/s | $(fmt "${m[$key-passerelle-rps]}" %.0f) | $(fmt "${m[$key-nginx-rps]}" %.0f) | ${m[$key-ratio]} (pairs: ${m[$key-pairs]% }) |" \
         "≥ $(fmt "$target_ratio" %.2f) × nginx | $(verdict "$(awk -v r="${m[$key-ratio]}" -v t="$target_ratio" 'BEGIN {print (r >= t)}')") |"
    if [ "$key" = page ]; then
      echo "| $label p99 latency | $(fmt "${m[$key-passerelle-p99]}" %.2f) ms | $(fmt "${m[$key-nginx-p99]}" %.2f) ms | | < 10 ms |" \
           "$(verdict "$(awk -v v="${m[$key-passerelle-p99]}" 'BEGIN {print (v < 10)}')") |"
    else
      echo "| $label p99 latency | $(fmt "${m[$key-passerelle-p99]}" %.2f) ms | $(fmt "${m[$key-nginx-p99]}" %.2f) ms | | (none) | |"
    fi
    echo "| $label server CPU time per request | $(fmt "${m[$key-passerelle-cpu]}" %.1f) µs | $(fmt "${m[$key-nginx-cpu]}" %.1f) µs |" \
         "$(awk -v a="${m[$key-passerelle-cpu]}" -v b="${m[$key-nginx-cpu]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') | (none) | |"
  done
  echo "| VmRSS idle, right after start | $(mb "$rss_start") MB | | | < 30 MB | $(verdict "$(awk -v k="$rss_start" 'BEGIN {print (k * 1024 < 30e6)}')") |"
  echo "| VmRSS idle, after the load (peak VmHWM $(mb "$hwm_after") MB) | $(mb "$rss_after") MB | | | < 30 MB |" \
       "$(verdict "$(awk -v k="$rss_after" 'BEGIN {print (k * 1024 < 30e6)}')") |"
  echo "| Start-up to first 200 on /healthz (median of $starts) | $(fmt "$startup_med" %.1f) ms | $(fmt "$nginx_startup_med" %.1f) ms |" \
       "$(awk -v a="$startup_med" -v b="$nginx_startup_med" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') | < 200 ms |" \
       "$(verdict "$(awk -v v="$startup_med" 'BEGIN {print (v < 200)}')") |"
  echo "| … of which on a CPU / waiting for a CPU (medians) | $(fmt "$startup_cpu_med" %.1f) ms / $(fmt "$startup_wait_med" %.1f) ms | | | | |"
  echo
  echo "Runs (requests/s; p99 ms; server CPU µs per request):"
  for key in page healthz; do
    for who in passerelle nginx; do
      echo "- $key $who: ${rps[$key-$who]% }; ${p99[$key-$who]% }; ${cpu[$key-$who]% } (errors: ${errs[$key-$who]})"
    done
  done
  echo "- start-up ms, passerelle: ${startup_ms[*]}"
  echo "- start-up ms on a CPU, passerelle: ${startup_cpu_ms[*]}"
  echo "- start-up ms waiting for a CPU, passerelle: ${startup_wait_ms[*]}"
  echo "- start-up ms, nginx: ${nginx_startup_ms[*]}"
  echo
  echo "Raw outputs: $out"
} | tee "$out/results.md"
for key in page healthz; do
  for who in passerelle nginx; do
    [ "${errs[$key-$who]}" -eq 0 ] || say "ATTENTION : $key $who a eu ${errs[$key-$who]} réponses non 2xx ou erreurs de socket"
  done
done
