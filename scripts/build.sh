#!/usr/bin/env bash
# scripts/build.sh release → build/passerelle (optimised)
# scripts/build.sh test    → build-test/ with ASan + UBSan and the unit tests
# scripts/build.sh fuzz    → build-fuzz/ with clang's libFuzzer targets
set -euo pipefail
kind=${1:-release}
jobs=$(nproc)
case "$kind" in
  release) cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPASSERELLE_TESTS=OFF >/dev/null
           cmake --build build -j"$jobs" --target passerelle ;;
  test)    cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPASSERELLE_SANITIZE=ON -DPASSERELLE_TESTS=ON >/dev/null
           cmake --build build-test -j"$jobs" ;;
  fuzz)    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPASSERELLE_TESTS=OFF -DPASSERELLE_FUZZ=ON >/dev/null
           cmake --build build-fuzz -j"$jobs" ;;
  *) echo "usage: $0 release|test|fuzz" >&2; exit 2 ;;
esac
