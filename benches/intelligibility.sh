#!/usr/bin/env bash
# Intelligibility of the built-in voice through the whole pipeline (`loa say`), scored by the
# offline recognizers in ../shared/tools/speech-eval.
#
#   benches/intelligibility.sh [--rate R] [--engine vietasr|whisper] [--set held|tune|news|news-held|held-all|all]
#                              [--seeds S1,S2,...] [-- EXTRA `loa say` ARGS, e.g. --voices DIR]
#
# Sets: held = d20–d39 of ../shared/eval/intelligibility_dev.tsv (never tuned on), tune =
# d00–d19, all = both; news = 37 clauses of real articles from ../shared/eval/news, picked at
# run time (below): every other one of the clauses of 8–20 words with no digits, quotes,
# brackets or acronyms whose spoken form is their own words, at most two per article;
# news-held = the other half of those clauses (never tuned on, a second held-out set);
# held-all = held and news-held together (841 syllables: where a change is confirmed). The
# reference of each clip is its spoken form (`loa normalize`). Prints the recognizer's summary
# line: SER (syllable error rate), TONE (tone-only errors), BASE (errors ignoring tone).
#
# --seeds rebuilds the built-in voice from voices/northern/build once per noise seed (into a
# temporary directory; the committed voice is not touched) and scores each, then prints the
# means: the figures in the README are `--seeds 20261128,2,3`.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=1 engine=vietasr set=held seeds=
while [ $# -gt 0 ]; do
  case $1 in
    --rate) rate=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    --set) set=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--rate R] [--engine vietasr|whisper] [--set held|tune|news|news-held|held-all|all] [--seeds S1,S2,...] [-- SAY ARGS]" >&2; exit 2 ;;
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
    held-all) sentences held && sentences news-held ;;
    news | news-held)
      [ "$1" = news ] && half=0 || half=1
      LOA="$loa" HALF=$half "$PY" - <<'EOF'
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
half = int(os.environ["HALF"])
for i, clause in enumerate(picked[half::2]):
    print(f"{'nh'[half]}{i:02d}\t{clause}")
EOF
      ;;
    *) echo "unknown set $1" >&2; exit 2 ;;
  esac
}

sentences "$set" > "$dir/sentences.tsv"
echo "rate $rate, set $set ($(wc -l < "$dir/sentences.tsv") sentences)"
# The reference of each clip, its spoken form: the same for every seed, so made once.
while IFS=$'\t' read -r id text; do
  printf '%s\n' "$(printf '%s' "$text" | "$loa" normalize | tr '\n' ' ')"
done < "$dir/sentences.tsv" > "$dir/references.txt"

# Speaks every sentence with `loa say ARGS` into $dir/clips and prints the summary line.
score() {
  rm -rf "$dir/clips"
  mkdir "$dir/clips"
  while IFS=$'\t' read -r id text; do
    "$loa" say "$text" --rate "$rate" "$@" -o "$dir/clips/$id.wav"
    printf '%s\n' "$dir/clips/$id.wav"
  done < "$dir/sentences.tsv" | paste - "$dir/references.txt" > "$dir/clips.tsv"
  "$PY" ../shared/tools/speech-eval/asr_score.py --engine "$engine" "$dir/clips.tsv" | tail -1
}

if [ -z "$seeds" ]; then
  score "$@"
  exit
fi
for seed in ${seeds//,/ }; do
  voice=$dir/voice-$seed/northern
  mkdir -p "$voice"
  cp -r voices/northern/build "$voice/build"
  sed -i "s/^seed = .*/seed = $seed/" "$voice/build/source.toml"
  "$loa" voice build --voice "$voice" > "$dir/build-$seed.log" 2>&1 || {
    cat "$dir/build-$seed.log" >&2
    exit 1
  }
  echo "seed $seed: $(score --voices "$dir/voice-$seed" "$@")"
done | tee "$dir/seeds.txt"
awk '{ for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2 && kv[1] ~ /^(SER|TONE|BASE)$/) { sum[kv[1]] += kv[2] } n++ }
     END { printf "mean of %d seeds: SER=%.3f TONE=%.3f BASE=%.3f\n", n, sum["SER"] / n, sum["TONE"] / n, sum["BASE"] / n }' "$dir/seeds.txt"
