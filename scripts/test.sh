#!/usr/bin/env bash
# One command: install claimgraph with its test dependencies and run the whole test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EXTRAS="[test]" bash scripts/setup.sh
# Debian packages the tests use for real: Chromium (the browser tests drive it through
# Playwright, never `playwright install`) and Virtuoso Open Source (a remote SPARQL store the
# tests start on loopback; the Oxigraph server comes from PyPI with the test extra).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v virtuoso-t >/dev/null || need+=(virtuoso-opensource)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
