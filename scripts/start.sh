#!/usr/bin/env bash
# Command 1 of the README: installs what is missing, builds, prepares a SQLite database with the
# demo data and serves Passerelle on http://127.0.0.1:8080/ (PORT=… to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
scripts/build.sh release
mkdir -p var
db="sqlite:var/passerelle.db"
build/passerelle migrate --db "$db"
build/passerelle seed-demo --db "$db"
exec build/passerelle serve --db "$db" --listen "127.0.0.1:${PORT:-8080}"
