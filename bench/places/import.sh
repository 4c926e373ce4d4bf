#!/usr/bin/env bash
# Import of 100,000 places (issue 5, target: under 10 s on SQLite), in one command:
#   bash bench/places/import.sh                       # builds build-bench/passerelle (Release)
#   PASSERELLE_BIN=/tmp/build-bench/passerelle bash bench/places/import.sh
# 1. Imports the open-licence files shipped in the repository (data/places/lieux/, the Hinaura
#    and BFC extracts of tests/data/places/) into a scratch database and exports them as schema
#    CSV: the real places.
# 2. Generates BENCH_PLACES (100000) schema-CSV rows from them with python3 (standard library):
#    each real place again and again with a new id, a varied name ("… — antenne 123") and
#    coordinates jittered by up to ±0.002° (about 200 m; a jittered point stays in France), and a
#    pivot of its own when the real one is not the placeholder (so that none merges).
# 3. Times `passerelle import places FILE --format schema-csv` on a fresh SQLite database,
#    BENCH_RUNS (3) times, and in the same run the baseline: sqlite3's `.import --csv` of the
#    same file into a plain table (no checks, no merge, no index). Prints the median of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
n=${BENCH_PLACES:-100000}
runs=${BENCH_RUNS:-3}
bin=${PASSERELLE_BIN:-}
if [ -z "$bin" ]; then
  cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DPASSERELLE_TESTS=OFF >/dev/null
  cmake --build "$root/build-bench" -j"${JOBS:-2}" --target passerelle >/dev/null
  bin=$root/build-bench/passerelle
fi
work=$(mktemp -d /tmp/passerelle-bench-places.XXXXXX)
[ -n "${BENCH_KEEP:-}" ] && echo "work: $work" >&2 || trap 'rm -rf "$work"' EXIT

# 1. The real places.
"$bin" migrate --db "sqlite:$work/base.db" >/dev/null
for f in data/places/lieux/*.json tests/data/places/hinaura-auvergne-rhone-alpes-2023-extrait.json; do
  "$bin" import places "$f" --format v0-json --skip-invalid --db "sqlite:$work/base.db" >/dev/null 2>&1
done
"$bin" import places tests/data/places/mednum-bfc-bourgogne-franche-comte-2021-extrait.csv --format bfc-csv --skip-invalid \
  --date-maj 2021-01-01 --db "sqlite:$work/base.db" >/dev/null 2>&1
"$bin" export places --format schema-csv --db "sqlite:$work/base.db" >"$work/base.csv" 2>/dev/null

# 2. BENCH_PLACES rows.
python3 - "$work/base.csv" "$work/places.csv" "$n" <<'PY'
import csv, random, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, newline='', encoding='utf-8') as f:
    rows = list(csv.DictReader(f))
    header = list(rows[0].keys())
rows = [r for r in rows if r['latitude'] and r['longitude']]
rng = random.Random(20261201)
with open(dst, 'w', newline='', encoding='utf-8') as f:
    w = csv.DictWriter(f, fieldnames=header, lineterminator='\r\n')
    w.writeheader()
    for i in range(n):
        r = dict(rows[i % len(rows)])
        r['id'] = f'bench-{i}'
        r['nom'] = f"{r['nom']} — antenne {i}"
        if r['pivot'] != '00000000000000':
            r['pivot'] = str(90000000000000 + i)  # one organisation per generated place: nothing merges
        r['latitude'] = f"{float(r['latitude']) + rng.uniform(-0.002, 0.002):.6f}"
        r['longitude'] = f"{float(r['longitude']) + rng.uniform(-0.002, 0.002):.6f}"
        w.writerow(r)
print(f'{n} lieux générés depuis {len(rows)} lieux réels', file=sys.stderr)
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
import_times=()
baseline_times=()
for i in $(seq 1 "$runs"); do
  rm -f "$work/run.db"*
  "$bin" migrate --db "sqlite:$work/run.db" >/dev/null
  t0=$(now)
  "$bin" import places "$work/places.csv" --format schema-csv --db "sqlite:$work/run.db" >"$work/import.out" 2>"$work/import.err" \
    || { cat "$work/import.err" | head -5; exit 1; }
  t1=$(now)
  import_times+=("$(echo "$t1 - $t0" | bc)")
  rm -f "$work/plain.db"*
  t0=$(now)
  sqlite3 "$work/plain.db" ".import --csv $work/places.csv plain"
  t1=$(now)
  baseline_times+=("$(echo "$t1 - $t0" | bc)")
  echo "run $i: import ${import_times[-1]} s, sqlite3 .import ${baseline_times[-1]} s — $(tail -1 "$work/import.out")" >&2
done
places=$(sqlite3 "$work/run.db" "SELECT COUNT(*) FROM places")
echo "places: $places (of $n rows)"
echo "passerelle import places, median of $runs: $(printf '%s\n' "${import_times[@]}" | median) s"
echo "sqlite3 .import (baseline), median of $runs: $(printf '%s\n' "${baseline_times[@]}" | median) s"
