#!/usr/bin/env bash
# Installs every Debian package FieldSync needs to build, test and run.
# Safe to run again; takes a second when everything is already there.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git clang-format curl jq
  clang libclang-rt-14-dev
  libsqlite3-dev sqlite3 libssl-dev
  nlohmann-json3-dev doctest-dev libcli11-dev libspdlog-dev libsimdjson-dev
  libcurl4-openssl-dev libcpprest-dev libboost-system-dev
  libpqxx-dev postgresql
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
