#!/usr/bin/env bash
# Tests the NVDA add-on: the driver against a real Loa server with NVDA's modules faked
# (tests/), then builds the .nvda-addon and checks what it holds. LOA_BIN: the Loa binary
# (default: the debug build, built here if needed). Needs python3 (stdlib only).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v python3 >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
}
if [ -z "${LOA_BIN:-}" ]; then
  cargo build -q --bin loa
  LOA_BIN=target/debug/loa
fi
export LOA_BIN=$(realpath "$LOA_BIN")
(cd integrations/nvda/tests && python3 -m unittest -v test_loa_driver)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
addon=$(python3 integrations/nvda/build.py "$out")
python3 - "$addon" <<'PY'
import sys, zipfile
names = sorted(zipfile.ZipFile(sys.argv[1]).namelist())
assert names == ["manifest.ini", "synthDrivers/loa.py"], names
print("built", sys.argv[1].rsplit("/", 1)[-1], names)
PY
