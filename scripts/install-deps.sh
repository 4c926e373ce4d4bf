#!/usr/bin/env bash
# Installs what Passerelle needs on Debian 12, only what is missing. Usage:
#   scripts/install-deps.sh run    # build + run
#   scripts/install-deps.sh test   # also PostgreSQL, Chromium, Node.js, clang (fuzzing), nginx + wrk not needed
set -euo pipefail
mode=${1:-run}
packages=(build-essential cmake pkg-config ca-certificates libboost-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev
  nlohmann-json3-dev libfmt-dev libcli11-dev libcmark-dev libicu-dev curl
  libstemmer-dev libroaring-dev libexpat1-dev libcurl4-openssl-dev)
if [ "$mode" = test ]; then
  packages+=(libgtest-dev postgresql chromium clang libclang-rt-14-dev fonts-dejavu-core procps)
fi
# Both modes: the build embeds Leaflet from node_modules (package-lock.json), so npm ci runs in
# `run` mode too.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installation des paquets Debian manquants : ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm_flags=(--no-audit --no-fund --loglevel=error)
[ "$mode" = test ] || npm_flags+=(--omit=dev)  # run: Leaflet only, not the browser test tools
if { [ "$mode" = test ] && [ ! -d node_modules/playwright-core ]; } || [ ! -f node_modules/leaflet/dist/leaflet.js ]; then
  if ! npm ci "${npm_flags[@]}" 2>var-npm.log; then
    cat var-npm.log >&2
    # Behind a TLS-inspecting proxy whose CA this system does not trust, npm cannot verify the
    # registry's certificate. The tarballs are still checked against the sha512 integrity of
    # package-lock.json, so a tampered package is refused either way.
    if grep -qiE 'CERT|certificate' var-npm.log; then
      echo "npm : certificat du registre non vérifiable ; nouvel essai, contenu vérifié par les empreintes du package-lock.json" >&2
      npm ci "${npm_flags[@]}" --strict-ssl=false
    else
      exit 1
    fi
  fi
  rm -f var-npm.log
fi
