#!/usr/bin/env bash
# Search benchmark, in one command: builds the two bench programs (-DPASSERELLE_BENCH=ON, Release,
# into build-bench/), generates the corpus once (cached in var/bench/), then indexes it into the
# Passerelle engine and into SQLite FTS5 and runs the same queries on both (bench_search).
#
#   bash bench/search/run.sh                  # 1,000,000 documents (about 1.3 GB of JSON Lines)
#   DOCS=100000 bash bench/search/run.sh      # quick run
#
# Knobs: DOCS (1000000), SEED (42: the corpus), QUERY_SEED (7: the queries), QUERIES (240),
#        RESEARCH_DATA (/work/shared/research-data), BUILD_DIR (build-bench), BUILD_TYPE (Release), JOBS (2).
# The Markdown table goes to standard output and to var/bench/search-<DOCS>.md; the indexes are
# kept in var/bench/search-<DOCS>/ for inspection (removed and rebuilt on every run).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
docs=${DOCS:-1000000}
seed=${SEED:-42}
build=${BUILD_DIR:-$root/build-bench}
data_dir=${RESEARCH_DATA:-/work/shared/research-data}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" -DPASSERELLE_BENCH=ON -DPASSERELLE_TESTS=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target bench_search_generate bench_search >/dev/null

mkdir -p var/bench
corpus=var/bench/docs-$docs-seed$seed.jsonl
if [ ! -s "$corpus" ]; then
  echo "generating $docs documents into $corpus…" >&2
  "$build/bench_search_generate" --docs "$docs" --seed "$seed" --data "$data_dir" --out "$corpus.tmp"
  mv "$corpus.tmp" "$corpus"
fi
"$build/bench_search" --docs "$corpus" --work "var/bench/search-$docs" --queries "${QUERIES:-240}" \
  --seed "${QUERY_SEED:-7}" | tee "var/bench/search-$docs.md"
