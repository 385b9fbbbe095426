#!/usr/bin/env bash
# Intelligibility of the built-in voice through the whole pipeline (`loa say`), scored by the
# offline recognizers in ../shared/tools/speech-eval.
#
#   benches/intelligibility.sh [--rate R] [--engine vietasr|whisper] [--set held|tune|news|all]
#                              [-- EXTRA `loa say` ARGS, e.g. --voices DIR]
#
# Sets: held = d20–d39 of ../shared/eval/intelligibility_dev.tsv (never tuned on), tune =
# d00–d19, all = both; news = 37 clauses of real articles from ../shared/eval/news, picked at
# run time (below): every other one of the clauses of 8–20 words with no digits, quotes,
# brackets or acronyms whose spoken form is their own words, at most two per article. The
# reference of each clip is its spoken form (`loa normalize`). Prints the recognizer's summary
# line: SER (syllable error rate), TONE (tone-only errors), BASE (errors ignoring tone).
set -euo pipefail
cd "$(dirname "$0")/.."
rate=1 engine=vietasr set=held
while [ $# -gt 0 ]; do
  case $1 in
    --rate) rate=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    --set) set=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--rate R] [--engine vietasr|whisper] [--set held|tune|news|all] [-- SAY ARGS]" >&2; exit 2 ;;
  esac
done
setup=../shared/tools/speech-eval/setup.sh
[ "$engine" = whisper ] && PY=$($setup --whisper | tail -1) || PY=$($setup | tail -1)
cargo build -q --release --bin loa
loa=target/release/loa
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

sentences() {
  case $1 in
    held) grep -E '^d[23]' ../shared/eval/intelligibility_dev.tsv ;;
    tune) grep -E '^d[01]' ../shared/eval/intelligibility_dev.tsv ;;
    all) grep -E '^d' ../shared/eval/intelligibility_dev.tsv ;;
    news)
      LOA="$loa" "$PY" - <<'EOF'
import glob, os, re, subprocess
def spoken(text):
    out = subprocess.run([os.environ["LOA"], "normalize"], input=text, capture_output=True, text=True)
    return " ".join(out.stdout.replace(".", " ").replace(",", " ").split())
picked = []
for path in sorted(glob.glob("../shared/eval/news/*.txt")):
    taken = 0
    for line in open(path, encoding="utf-8").read().split("\n")[1:]:
        for clause in re.split(r"(?<=[,;:.!?])\s+", line.strip()):
            clause = clause.strip().rstrip(",;:")
            if re.search(r"\d|[()“”\"%/&+\-–]", clause) or re.search(r"[A-ZĐ]{2,}", clause):
                continue
            if not 8 <= len(re.findall(r"\w+", clause)) <= 20 or taken == 2:
                continue
            if spoken(clause) == " ".join(re.findall(r"\w+", clause.lower())):
                picked.append(clause)
                taken += 1
for i, clause in enumerate(picked[::2]):
    print(f"n{i:02d}\t{clause}")
EOF
      ;;
    *) echo "unknown set $1" >&2; exit 2 ;;
  esac
}

sentences "$set" > "$dir/sentences.tsv"
while IFS=$'\t' read -r id text; do
  "$loa" say "$text" --rate "$rate" "$@" -o "$dir/$id.wav"
  printf '%s\t%s\n' "$dir/$id.wav" "$(printf '%s' "$text" | "$loa" normalize | tr '\n' ' ')"
done < "$dir/sentences.tsv" > "$dir/clips.tsv"
echo "rate $rate, set $set ($(wc -l < "$dir/clips.tsv") sentences)"
"$PY" ../shared/tools/speech-eval/asr_score.py --engine "$engine" "$dir/clips.tsv" | tail -1
