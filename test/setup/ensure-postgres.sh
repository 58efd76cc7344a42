#!/usr/bin/env bash
# The PostgreSQL backend's server tests start a throwaway server with Debian's binaries. Install
# them when they are missing and we are root; otherwise those tests skip with a note (the PGlite
# tests of the same backend still run).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "PostgreSQL is missing: the server tests of the postgres backend will skip ('sudo apt-get install -y postgresql' runs them)." >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
