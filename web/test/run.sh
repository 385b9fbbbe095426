#!/usr/bin/env bash
# Browser tests of the web reader (/) and the widget (/widget.js): builds `loa`, installs the
# npm packages (playwright-core, axe-core) if needed, and runs the tests in headless Chromium
# (/usr/bin/chromium, or $CHROMIUM).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q --bin loa
cd web
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  npm ci --no-audit --no-fund
fi
exec node --test --test-concurrency=1 test/reader.test.js test/widget.test.js
