#!/usr/bin/env bash
# Command 2 of the README: installs what is missing, builds with ASan/UBSan, starts a throw-away
# PostgreSQL on loopback, then runs every test: unit (C++), integration (HTTP against the real
# server on SQLite and PostgreSQL), browser (Chromium + axe-core) and fuzzing (30 s per target).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/build.sh test
scripts/build.sh fuzz
mkdir -p var/test-logs
# A port nobody listens on: a developer's own test server (or another checkout's) may hold 55432.
if [ -z "${PASSERELLE_PG_PORT:-}" ]; then
  for p in $(seq 55432 55499); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then export PASSERELLE_PG_PORT=$p; break; fi
  done
fi
# An assignment on its own line, so that a server that cannot start stops the run (set -e).
pg_url=$(scripts/pg.sh start)
export PASSERELLE_TEST_PG_URL=$pg_url
trap 'scripts/pg.sh stop' EXIT
export PASSERELLE_BIN="$PWD/build-test/passerelle"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

passed=0; failed=0
count_node() {  # node --test prints "# pass N" and "# fail N"
  passed=$((passed + $(grep -E '^# pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')))
  failed=$((failed + $(grep -E '^# fail [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')))
}

echo "== Tests unitaires (C++, ASan/UBSan, SQLite et PostgreSQL)"
set +e
ctest --test-dir build-test --output-on-failure -j"$(nproc)" 2>&1 | tee var/test-logs/unit.log
unit_rc=${PIPESTATUS[0]}
set -e
line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' var/test-logs/unit.log | tail -1 || true)
total=$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/'); nfail=$(echo "$line" | sed -E 's/.*, ([0-9]+) tests failed.*/\1/')
if [ -n "$line" ]; then passed=$((passed + total - nfail)); failed=$((failed + nfail)); else failed=$((failed + 1)); fi

echo "== Tests d'intégration (HTTP réel, SQLite puis PostgreSQL)"
set +e
node --test --test-reporter=tap tests/integration/*.test.mjs 2>&1 | tee var/test-logs/integration.log
int_rc=${PIPESTATUS[0]}
echo "== Tests navigateur (Chromium, axe-core, clavier, sans JavaScript)"
node --test --test-reporter=tap tests/e2e/*.test.mjs 2>&1 | tee var/test-logs/e2e.log
e2e_rc=${PIPESTATUS[0]}
set -e
count_node var/test-logs/integration.log
count_node var/test-logs/e2e.log

echo "== Fuzzing (30 s par cible)"
fuzz_rc=0
for target in build-fuzz/*_fuzz; do
  name=$(basename "$target")
  corpus=var/fuzz-corpus/$name; mkdir -p "$corpus"
  if "$target" -max_total_time="${FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "$corpus" "tests/fuzz/corpus/$name" \
      > "var/test-logs/$name.log" 2>&1; then
    echo "ok $name"; passed=$((passed + 1))
  else
    echo "ÉCHEC $name"; tail -40 "var/test-logs/$name.log"; failed=$((failed + 1)); fuzz_rc=1
  fi
done

echo
echo "Total: $passed passed, $failed failed"
[ "$unit_rc" -eq 0 ] && [ "$int_rc" -eq 0 ] && [ "$e2e_rc" -eq 0 ] && [ "$fuzz_rc" -eq 0 ] && [ "$failed" -eq 0 ]
