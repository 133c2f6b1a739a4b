#!/usr/bin/env bash
# Set up a fresh machine and build the sample issues: `npm run setup`.
# Installs what the system lacks (Chromium for the PDF, Ghostscript for the press file, poppler-utils and qpdf for the tests) when it
# can (as root, or with sudo), installs the npm dependencies, builds the packages and then
# every issue under issues/ into dist/<issue>/.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  echo "masthead: Node.js >= 20.19 is required (found $(node --version))." >&2
  exit 1
fi

bash scripts/install-system-deps.sh

export PUPPETEER_SKIP_DOWNLOAD=1 TURBO_TELEMETRY_DISABLED=1
npm ci --no-audit --no-fund
npx turbo run build
npx masthead build
