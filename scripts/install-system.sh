#!/usr/bin/env bash
# Installs the system packages the integration tests start: a real DNS server
# (knot, nsd), a real TLS server (nginx), dig, headless Chromium, and Azurite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v knotd    >/dev/null || need+=(knot)
command -v nsd      >/dev/null || need+=(nsd)
command -v nginx    >/dev/null || need+=(nginx)
# nginx needs the stream module to serve per-host TLS versions (ssl_preread front).
dpkg -s libnginx-mod-stream >/dev/null 2>&1 || need+=(libnginx-mod-stream)
command -v dig      >/dev/null || need+=(dnsutils)
command -v chromium >/dev/null || need+=(chromium)
command -v node     >/dev/null || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-system: need root to install: ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The packaged services must not hold the ports or files the tests use.
for svc in knot nsd nginx; do
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now "$svc" >/dev/null 2>&1 || true; fi
done

if [ ! -x .tools/node_modules/.bin/azurite-blob ]; then
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools azurite@3 >/dev/null
fi
