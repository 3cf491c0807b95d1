#!/usr/bin/env bash
# Headless Chromium for the status page's e2e test (test/e2e/statusPage.test.ts): Debian's `chromium`
# package at /usr/bin/chromium, installed when missing. No browser-download package is used; the test
# drives Chromium through the DevTools protocol itself.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "ensure-chromium: $CHROMIUM is missing and installing it needs root (no sudo found); run: apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium so that $CHROMIUM exists" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "ensure-chromium: installing Debian's chromium package" >&2
# A stale package index is the usual reason the first attempt fails; refresh it once and retry.
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends chromium; then
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends chromium
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: chromium was installed but $CHROMIUM does not exist" >&2
  exit 1
fi
