#!/usr/bin/env bash
# Restitution benchmark: generates N contributions (bench/restitution/generate.py, real French
# from the Grand Débat answers, 10 % planted campaigns), runs the full restitution (duplicates,
# campaigns, themes, labels, quotes, report) with 2 threads, and prints wall time, CPU time, peak
# resident memory and the planted-campaign precision/recall, as a Markdown table.
#
#   bash bench/restitution/run.sh                    # sizes 10000 100000
#   BENCH_SIZES="10000 100000 400000 2000000" PASSERELLE_BIN=build/passerelle bash bench/restitution/run.sh
#
# Inputs are cached in BENCH_OUT (var/bench/restitution) and reused; the targets are 100,000 in
# under 6 s and 2,000,000 in under 2 min with under 3 GB peak RSS, on 2 cores.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
bin=${PASSERELLE_BIN:-build/passerelle}
sizes=${BENCH_SIZES:-"10000 100000"}
out=${BENCH_OUT:-var/bench/restitution}
threads=${BENCH_THREADS:-2}
mkdir -p "$out"
[ -x "$bin" ] || { echo "no binary at $bin (set PASSERELLE_BIN)" >&2; exit 1; }
# The reference, in the same run when Debian's python3-sklearn is installed (apt install python3-sklearn).
reference=0
/usr/bin/python3 -c "import sklearn" 2>/dev/null && reference=1
echo "| contributions | wall (s) | CPU user+sys (s) | peak RSS (MB) | campaigns precision | recall | sklearn reference wall (s) | its peak RSS (MB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  input="$out/contributions-$n.jsonl"
  [ -s "$input" ] || python3 bench/restitution/generate.py --count "$n" --out "$input" --seed 1 2>/dev/null
  rm -rf "$out/result-$n"
  /usr/bin/time -f "%e %U %S %M" -o "$out/time-$n.txt" "$bin" restitution --input "$input" --group-field question \
    --date-field date --zip-field zip --threads "$threads" --seed 1 --out "$out/result-$n" > /dev/null 2> "$out/log-$n.txt"
  read -r wall user sys rss < "$out/time-$n.txt"
  quality=$(python3 bench/restitution/quality.py planted "$input" "$out/result-$n/assignments.csv" | tail -1)
  precision=$(sed -E 's/.*pairwise precision: ([0-9.]+).*/\1/' <<< "$quality")
  recall=$(sed -E 's/.*pairwise recall: ([0-9.]+).*/\1/' <<< "$quality")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  ref_wall="-"; ref_rss="-"
  if [ "$reference" = 1 ]; then
    /usr/bin/time -f "%e %M" -o "$out/time-sklearn-$n.txt" /usr/bin/python3 bench/restitution/sklearn_reference.py "$input" > "$out/log-sklearn-$n.txt" 2>&1
    read -r ref_wall ref_rss_kb < "$out/time-sklearn-$n.txt"
    ref_rss=$((ref_rss_kb / 1024))
  fi
  echo "| $n | $wall | $cpu | $((rss / 1024)) | $precision | $recall | $ref_wall | $ref_rss |"
done
echo
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare CPU time too)"
