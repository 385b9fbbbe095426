#!/usr/bin/env bash
# Load test of `loa serve` on loopback, bounded in time (about 2 minutes with the defaults).
#
#   benches/load.sh                      # builds the release binary, starts the service, measures
#   LOA_VOICES=/path/to/voices benches/load.sh
#   DURATION=10 LEVELS="50 200" LISTENERS="50 100" benches/load.sh
#
# Two measures, each at several levels of concurrency:
#  1. capacity (wrk, closed loop): N connections each sending a one-phrase sentence as fast as
#     the service answers. Requests/s, latency p50/p99 (a one-phrase response is the first phrase
#     itself, so this latency bounds the time to first byte from above), non-2xx count, and the
#     seconds of audio synthesized per second of wall time (= how many real-time listeners the
#     CPU could feed).
#  2. real-time listeners (curl --limit-rate at the audio's byte rate): N clients each play an
#     article at real-time speed, started over a few seconds. Time to first byte p50/p99, errors,
#     and "late" listeners (whose audio arrived slower than it plays: a stall they would hear).
#
# The load generator runs on the same machine (2 cores shared with the service), so the
# figures are a lower bound of what the service does alone.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18280}
DURATION=${DURATION:-15}
LEVELS=${LEVELS:-"50 200"}
LISTENERS=${LISTENERS:-"50 100 200"}
SENTENCE=${SENTENCE:-"Hôm nay trời đẹp, chúng tôi đi dạo quanh hồ."}
ARTICLE_SENTENCES=${ARTICLE_SENTENCES:-6}
BASE="http://127.0.0.1:${PORT}"
WORK=$(mktemp -d)
trap 'kill "${SERVER:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "load.sh: needs $tool (apt-get install wrk curl)" >&2; exit 1; }
done

echo "== building the release binary"
cargo build --release --quiet --bin loa

echo "== starting loa serve on ${BASE}"
target/release/loa serve --addr "127.0.0.1:${PORT}" --max-concurrent 1024 --log-format json \
  >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do
  target/release/loa healthcheck --addr "127.0.0.1:${PORT}" 2>/dev/null && break
  sleep 0.2
done
target/release/loa healthcheck --addr "127.0.0.1:${PORT}"

RATE=$(curl -s "${BASE}/v1/voices" | sed -n 's/.*"sample_rate":\([0-9]*\).*/\1/p')
BYTES_PER_SECOND=$((RATE * 2))
VOICE=$(curl -s "${BASE}/v1/voices" | sed -n 's/.*"default":"\([^"]*\)".*/\1/p')
echo "voice ${VOICE}, ${RATE} Hz; $(nproc) cores; wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"

audio_seconds() {
  curl -s "${BASE}/metrics" | awk '$1 == "loa_audio_seconds_total" {print $2}'
}

# Sum and count of the server's own time-to-first-byte histogram (from request arrival to the
# first audio chunk handed to the socket).
server_ttfb() {
  curl -s "${BASE}/metrics" | awk '$1 == "loa_time_to_first_byte_seconds_sum" {s = $2}
    $1 == "loa_time_to_first_byte_seconds_count" {c = $2} END {print s, c}'
}

# Mean server-side TTFB (ms) between two `server_ttfb` readings.
ttfb_mean() { # "sum count" "sum count"
  awk -v a="$1" -v b="$2" 'BEGIN {split(a, x, " "); split(b, y, " ");
    n = y[2] - x[2]; if (n <= 0) { print "n/a"; exit } printf "%.1f ms", (y[1] - x[1]) / n * 1000}'
}

# Percentiles of a file of numbers (seconds) → milliseconds.
percentile() { # file p
  sort -n "$1" | awk -v p="$2" '{v[NR] = $1} END {
    if (NR == 0) { print "n/a"; exit }
    i = int(NR * p + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.1f", v[i] * 1000 }'
}

cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "${SENTENCE}"
wrk.headers["Content-Type"] = "text/plain; charset=utf-8"
LUA

# Warm up (first requests fault in the voice's pages).
for _ in 1 2 3; do
  curl -s -o /dev/null -H 'content-type: text/plain' --data-binary "$SENTENCE" "${BASE}/v1/speech"
done
PHRASE_BYTES=$(curl -s -H 'content-type: text/plain' --data-binary "$SENTENCE" "${BASE}/v1/speech" | wc -c)
echo "one phrase: ${PHRASE_BYTES} bytes = $(awk -v b="$PHRASE_BYTES" -v r="$BYTES_PER_SECOND" 'BEGIN {printf "%.2f", (b - 44) / r}') s of audio"
echo

echo "== 1. capacity: wrk, ${DURATION} s per level, POST /v1/speech (one phrase)"
printf '%-12s %10s %12s %12s %10s %10s %16s %16s\n' clients req/s "p50 (ms)" "p99 (ms)" non-2xx "sock err" "audio s per s" "server ttfb"
for c in $LEVELS; do
  before=$(audio_seconds)
  t0=$(server_ttfb)
  timeout $((DURATION + 30)) wrk -t2 -c"$c" -d"${DURATION}s" --timeout 20s --latency \
    -s "$WORK/post.lua" "${BASE}/v1/speech" >"$WORK/wrk-$c.txt"
  after=$(audio_seconds)
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk-$c.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk-$c.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$c.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk-$c.txt")
  sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$WORK/wrk-$c.txt")
  per_s=$(awk -v a="$after" -v b="$before" -v d="$DURATION" 'BEGIN {printf "%.1f", (a - b) / d}')
  printf '%-12s %10s %12s %12s %10s %10s %16s %16s\n' "$c" "$rps" "$p50" "$p99" "${non2xx:-0}" \
    "${sock:-0}" "$per_s" "$(ttfb_mean "$t0" "$(server_ttfb)")"
done
echo

echo "== 2. real-time listeners: each plays a ${ARTICLE_SENTENCES}-sentence article at ${BYTES_PER_SECOND} B/s"
ARTICLE=$(for _ in $(seq "$ARTICLE_SENTENCES"); do printf '%s ' "$SENTENCE"; done)
printf '%-12s %12s %12s %8s %8s %14s %16s\n' listeners "ttfb p50" "ttfb p99" errors late "audio s each" "server ttfb"
for n in $LISTENERS; do
  t0=$(server_ttfb)
  : >"$WORK/listen-$n.txt"
  pids=()
  for i in $(seq "$n"); do
    (
      # Starts spread over 3 s, so each new listener arrives while others are streaming.
      sleep "$(awk -v i="$i" -v n="$n" 'BEGIN {printf "%.3f", 3 * i / n}')"
      # A GET, so that curl's time_starttransfer is the first response byte (for a POST it
      # can be the start of the upload).
      timeout 120 curl -s -o /dev/null --limit-rate "$BYTES_PER_SECOND" \
        -G --data-urlencode "text=$ARTICLE" \
        -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' \
        "${BASE}/v1/speech" >>"$WORK/listen-$n.txt" || echo "000 0 0 0" >>"$WORK/listen-$n.txt"
    ) &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  awk '$1 == 200 {print $2}' "$WORK/listen-$n.txt" >"$WORK/ttfb-$n.txt"
  errors=$(awk '$1 != 200' "$WORK/listen-$n.txt" | wc -l)
  # Late: the transfer took longer than the audio lasts (plus 1 s of start-up buffer).
  late=$(awk -v r="$BYTES_PER_SECOND" '$1 == 200 && $3 > ($4 - 44) / r + $2 + 1 {n++} END {print n + 0}' "$WORK/listen-$n.txt")
  each=$(awk -v r="$BYTES_PER_SECOND" '$1 == 200 {s = ($4 - 44) / r} END {printf "%.1f", s}' "$WORK/listen-$n.txt")
  printf '%-12s %12s %12s %8s %8s %14s %16s\n' "$n" "$(percentile "$WORK/ttfb-$n.txt" 0.5) ms" \
    "$(percentile "$WORK/ttfb-$n.txt" 0.99) ms" "$errors" "$late" "$each" "$(ttfb_mean "$t0" "$(server_ttfb)")"
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $(grep -c '"status":200' "$WORK/server.log" || true) responses 200 logged," \
  "$(grep -c '"level":"ERROR"' "$WORK/server.log" || true) errors logged"
