#!/usr/bin/env bash
# Parse rate of the opening hours found in the research data, in one command: builds
# bench_places_hours_report (-DPASSERELLE_BENCH=ON, into build-bench/), extracts every distinct
# opening-hours value with python3 (a dev tool: JSON and CSV reading only), and prints the
# Markdown report (docs/opening-hours.md quotes it).
#
#   bash bench/places/hours_report.sh
#   HOURS_REPORT_BIN=/tmp/report bash bench/places/hours_report.sh   # a binary built by hand
#
# Knobs: RESEARCH_DATA (/work/shared/research-data), BUILD_DIR (build-bench), BUILD_TYPE (Release), JOBS (2).
# Sections: the OSM `horaires` field of lieux/*.json and any CSV column named horaires or
# opening_hours; the France Services per-day columns (h_lundi…h_samedi) apart, each cell being
# the times of one day. Files without such a column are named in the notes, with what they hold.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
data_dir=${RESEARCH_DATA:-/work/shared/research-data}
build=${BUILD_DIR:-$root/build-bench}

bin=${HOURS_REPORT_BIN:-}
if [ -z "$bin" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" -DPASSERELLE_BENCH=ON -DPASSERELLE_TESTS=OFF >/dev/null
  cmake --build "$build" -j"${JOBS:-2}" --target bench_places_hours_report >/dev/null
  bin=$build/bench_places_hours_report
fi

values=$(mktemp --suffix=.json)
trap 'rm -f "$values"' EXIT
python3 - "$data_dir" >"$values" <<'PY'
import csv, glob, json, os, sys
data = sys.argv[1]
csv.field_size_limit(1 << 24)
osm, per_day = {}, {}
osm_notes, day_notes = [], []
def add(table, value):
    if isinstance(value, str) and value.strip():
        table[value] = table.get(value, 0) + 1
def rel(path): return os.path.relpath(path, data)
files = sorted(glob.glob(os.path.join(data, "lieux", "*.json")) + glob.glob(os.path.join(data, "lieux", "*.csv")) +
               glob.glob(os.path.join(data, "france-services", "*.csv")) + glob.glob(os.path.join(data, "aidants-connect", "*.csv")))
for path in files:
    if path.endswith(".json"):
        doc = json.load(open(path, encoding="utf-8"))
        if not isinstance(doc, list):
            osm_notes.append(f"{rel(path)}: not a list of places (field descriptions), skipped.")
            continue
        n = sum(1 for r in doc if isinstance(r, dict) and isinstance(r.get("horaires"), str) and r["horaires"].strip())
        for r in doc:
            if isinstance(r, dict): add(osm, r.get("horaires"))
        osm_notes.append(f"{rel(path)}: {len(doc)} records, {n} with `horaires`.")
        continue
    with open(path, encoding="utf-8", newline="") as f:
        sample = f.readline()
        f.seek(0)
        reader = csv.DictReader(f, delimiter=";" if sample.count(";") > sample.count(",") else ",")
        cols = reader.fieldnames or []
        hours = [c for c in cols if c.strip().lower() in ("horaires", "opening_hours", "horaire")]
        days = [c for c in cols if c.startswith("h_")]
        halves = [c for c in cols if c.endswith(" matin") or c.endswith(" après-midi")]
        rows = list(reader)
    if hours:
        for r in rows:
            for c in hours: add(osm, r.get(c))
        osm_notes.append(f"{rel(path)}: {len(rows)} records, column {hours[0]}.")
    elif days:
        closed = 0
        for r in rows:
            for c in days:
                v = (r.get(c) or "").strip()
                if v == "-": closed += 1  # France Services writes '-' for a day without opening
                else: add(per_day, r.get(c))
        day_notes.append(f"{rel(path)}: {len(rows)} records, columns {', '.join(days)}; "
                         f"{closed} cells are '-' (closed that day) and are not counted as strings.")
    elif halves:
        osm_notes.append(f"{rel(path)}: skipped, no opening-hours text: {len(halves)} half-day columns "
                         f"({halves[0]} … {halves[-1]}) holding the times of each half-day.")
    else:
        osm_notes.append(f"{rel(path)}: skipped, no opening-hours column.")
def section(name, table, notes):
    return {"name": name, "notes": notes, "values": [{"text": k, "count": v} for k, v in sorted(table.items())]}
json.dump({"sections": [section("lieux: horaires (OSM)", osm, osm_notes),
                        section("France Services: one cell per day", per_day, day_notes)]},
          sys.stdout, ensure_ascii=False)
PY
"$bin" "$values"
