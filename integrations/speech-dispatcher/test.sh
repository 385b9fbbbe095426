#!/usr/bin/env bash
# Runs the speech-dispatcher integration test (test.py) against a Loa binary: LOA_BIN, or the
# debug build (built here if needed). Installs what it needs from Debian when it is missing:
# speech-dispatcher, pulseaudio (the sound server, with a pipe sink instead of a card),
# pulseaudio-utils (paplay, pactl), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
for tool in speech-dispatcher:speech-dispatcher spd-say:speech-dispatcher \
  pulseaudio:pulseaudio paplay:pulseaudio-utils pactl:pulseaudio-utils curl:curl python3:python3; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ -z "${LOA_BIN:-}" ]; then
  cargo build -q --bin loa
  LOA_BIN=target/debug/loa
fi
exec python3 integrations/speech-dispatcher/test.py "$LOA_BIN"
