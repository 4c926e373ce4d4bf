#!/usr/bin/env bash
# Search of places at 100,000 places, in one command: builds bench_places_search (Release,
# -DPASSERELLE_BENCH=ON, into build-bench/) and runs it on the open-licence files of lieux
# (research-data when present, else the copies in tests/data/places). It measures, in the same
# run on the same data and query points, the 10 nearest places with two filters by the index and
# by a full scan (p50 and p99, medians of the rounds), and the clusters of France at country zoom
# (time and bytes of the GeoJSON the API sends). Results: docs/performance.md, "Lieux".
#
#   bash bench/places/run.sh
#   PLACES_BENCH_BIN=/path/to/bench_places_search bash bench/places/run.sh
#
# Knobs: RESEARCH_DATA (/work/shared/research-data), BENCH_PLACES (100000), BENCH_QUERIES (1000),
#        BENCH_ROUNDS (5), BUILD_DIR (build-bench), JOBS (2).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
root=$PWD
data=${RESEARCH_DATA:-/work/shared/research-data}/lieux
bin=${PLACES_BENCH_BIN:-}
if [ -z "$bin" ]; then
  build=${BUILD_DIR:-$root/build-bench}
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPASSERELLE_BENCH=ON -DPASSERELLE_TESTS=OFF >/dev/null
  cmake --build "$build" -j"${JOBS:-2}" --target bench_places_search >/dev/null
  bin=$build/bench_places_search
fi
files=()
for f in hinaura-auvergne-rhone-alpes-2023.json charente-20230711.json hub-du-sud-paca-20230517.json \
         cnfs-conseiller-numerique-2022-07.json bus-france-services-charente-20231003.json nouvelle-caledonie-20240320.json; do
  [ -f "$data/$f" ] && files+=("$data/$f")
done
if [ ${#files[@]} -eq 0 ]; then
  echo "bench : $data absent, copies de tests/data/places" >&2
  files=(tests/data/places/hinaura-auvergne-rhone-alpes-2023-extrait.json tests/data/places/bus-france-services-charente-20231003.json
         tests/data/places/nouvelle-caledonie-20240320.json)
fi
echo "machine : $(nproc) cœurs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), charge $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" --places "${BENCH_PLACES:-100000}" --queries "${BENCH_QUERIES:-1000}" --rounds "${BENCH_ROUNDS:-5}" "${files[@]}"
