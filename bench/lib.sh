# Shared by the benchmarks that measure HTTP against nginx (bench/run.sh, bench/consultations/run.sh):
# tools from Debian when missing, process and port handling, wrk output parsing, medians.
# Sourced, not run; expects `set -euo pipefail` and LC_ALL=C from the caller.

say() { echo "bench: $*" >&2; }
die() { say "ERREUR : $*"; exit 1; }

nginx_bin() { command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -n "$(nginx_bin)" ] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  say "installation de ${missing[*]} (apt)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  # Keep the distribution's nginx service from starting on port 80: we only want the binary.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod 755 "$policy"
  fi
  rc=0
  { $SUDO apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } || rc=$?
  [ -z "$policy" ] || $SUDO rm -f "$policy"
  [ "$rc" -eq 0 ] || die "apt-get a échoué ($rc)"
fi
NGINX=$(nginx_bin)
[ -n "$NGINX" ] || die "nginx introuvable après installation"

# --- Processes and ports -------------------------------------------------------------------------
stop_pid() {  # stop_pid PID SIGNAL: signal, wait at most 15 s, then SIGKILL (and its children: nginx's workers)
  local pid=$1 sig=$2 i children
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  children=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    for i in $children; do kill -KILL "$i" 2>/dev/null || true; done  # workers left without their master
  fi
  wait "$pid" 2>/dev/null || true
}
port_free() {  # nothing answers on 127.0.0.1:PORT
  ! { exec {probe}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || { exec {probe}>&-; return 1; }
}
pick_port() {
  local p
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 20000))
    port_free "$p" && { echo "$p"; return; }
  done
  die "aucun port libre"
}

# One GET (default /healthz) with bash's /dev/tcp (no process spawned, so polling is tight); 0 on a 200.
healthz_ok() {
  local port=$1 path=${2:-/healthz} fd line=""
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&"$fd" 2>/dev/null || true
  IFS= read -r -t 5 line <&"$fd" || true
  exec {fd}>&-
  [[ $line == "HTTP/1.1 200"* ]]
}

# --- Measures ------------------------------------------------------------------------------------
rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
# Nanoseconds spent on a CPU so far by PID and its children (nginx's workers), all threads:
# divided by the requests served, a cost per request that a busy machine disturbs far less
# than requests per second.
cpu_ns() {
  local pids=$1 p
  for p in $(cat /proc/"$1"/task/*/children 2>/dev/null); do pids+=" $p"; done
  for p in $pids; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done | awk '{c += $1} END {printf "%.0f\n", c}'
}
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# wrk output → "requests_per_second p99_ms errors requests"
parse_wrk() {
  awk '
    /^Requests\/sec:/ {rps = $2}
    / requests in / {n = $1}
    $1 == "99%" {v = $2; ms = v + 0
      if (v ~ /us$/) ms = ms / 1000; else if (v ~ /ms$/) ms = ms; else if (v ~ /m$/) ms = ms * 60000; else if (v ~ /s$/) ms = ms * 1000
      p99 = ms}
    /Non-2xx or 3xx responses:/ {err += $NF}
    /Socket errors:/ {gsub(/,/, ""); err += $4 + $6 + $8 + $10}
    END {printf "%s %s %d %d\n", (rps == "" ? "nan" : rps), (p99 == "" ? "nan" : p99), err, n}' "$1"
}


# nginx_conf DIR PORT LOCATIONS: the reference server's configuration in DIR/nginx/nginx.conf, serving
# DIR/www on 127.0.0.1:PORT with two workers, no access log, and LOCATIONS (nginx directives that
# give each file the Content-Type Passerelle sends).
nginx_conf() {
  local dir=$1 port=$2 locations=$3
  mkdir -p "$dir/nginx" "$dir/www"
  cat >"$dir/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 60s;
  keepalive_requests 1000000;  # like Passerelle, which never closes a busy keep-alive connection
  open_file_cache max=64 inactive=60s;  # no open/fstat/close per request: nginx at its best
  open_file_cache_valid 60s;
  types {}  # so that default_type in LOCATIONS gives the same Content-Type as Passerelle
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
$locations
  }
}
EOF
}
