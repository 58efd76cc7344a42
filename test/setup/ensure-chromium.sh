#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser). Install it, with CJK
# fonts so screenshots of Chinese pages are readable, when it is missing and we are root.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium is missing: run 'sudo apt-get install -y chromium fonts-noto-cjk' for the browser tests." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
