#!/usr/bin/env bash
# The browser suite (Tests/Browser): two headless Chromium sessions, driven by Selenium, review a
# branch together against the built lsm. Selenium comes from PyPI into a venv under .build; the
# screenshots and logs of each run go to .build/browser-artifacts.
#
# Usage: scripts/test-browser.sh <path to lsm>
set -euo pipefail

cd "$(dirname "$0")/.."
lsm="${1:?usage: scripts/test-browser.sh <path to lsm>}"
venv=.build/browser-venv
artefacts=.build/browser-artifacts

for program in chromium chromedriver; do
    command -v "$program" >/dev/null 2>&1 || { echo "error: $program not found (make test-deps installs it)"; exit 1; }
done

if ! "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'selenium>=4.20,<5'
fi

exec timeout 600 "$venv/bin/python" Tests/Browser/review_room_test.py "$lsm" "$artefacts"
