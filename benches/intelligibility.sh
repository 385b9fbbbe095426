#!/usr/bin/env bash
# Intelligibility of the built-in voice through the whole pipeline (`loa say`), scored by the
# offline recognizers in ../shared/tools/speech-eval on ../shared/eval/intelligibility_dev.tsv.
#
#   benches/intelligibility.sh [--rate R] [--engine vietasr|whisper] [--set held|tune|all]
#
# held = d20–d39 (never tuned on), tune = d00–d19, all = both. Prints the recognizer's summary
# line: SER (syllable error rate), TONE (tone-only errors), BASE (errors ignoring tone).
set -euo pipefail
cd "$(dirname "$0")/.."
rate=1 engine=vietasr set=held
while [ $# -gt 0 ]; do
  case $1 in
    --rate) rate=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    --set) set=$2; shift 2 ;;
    *) echo "usage: $0 [--rate R] [--engine vietasr|whisper] [--set held|tune|all]" >&2; exit 2 ;;
  esac
done
case $set in held) pattern='^d[23]' ;; tune) pattern='^d[01]' ;; all) pattern='^d' ;; *) exit 2 ;; esac
setup=../shared/tools/speech-eval/setup.sh
[ "$engine" = whisper ] && PY=$($setup --whisper | tail -1) || PY=$($setup | tail -1)
cargo build -q --release --bin loa
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
grep -E "$pattern" ../shared/eval/intelligibility_dev.tsv | while IFS=$'\t' read -r id text; do
  target/release/loa say "$text" --rate "$rate" -o "$dir/$id.wav"
  printf '%s\t%s\n' "$dir/$id.wav" "$text"
done > "$dir/clips.tsv"
echo "rate $rate, set $set ($(wc -l < "$dir/clips.tsv") sentences)"
"$PY" ../shared/tools/speech-eval/asr_score.py --engine "$engine" "$dir/clips.tsv" | tail -1
