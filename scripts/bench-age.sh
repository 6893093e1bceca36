#!/usr/bin/env bash
# Sealing and opening one large attachment as a page, side by side with
# age (Debian's `age`, ASCII armour): the whole commands, wall time and
# peak resident memory by /usr/bin/time, RUNS alternating runs of each,
# medians. Usage: scripts/bench-age.sh [MiB] [RUNS]   (256 and 5 by default)
#
# Needs age and GNU time (apt-get install age time) and a release build of
# the sealer (cargo build --release -p sealer-cli). Writes into a scratch
# folder under target/, removed at the end.
set -euo pipefail
mib=${1:-256}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
sealer="$root/target/release/sealer"
for tool in age age-keygen /usr/bin/time "$sealer"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
dir="$root/target/bench-age"
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
head -c $((mib * 1024 * 1024)) /dev/urandom > big.bin
age-keygen -o key.txt 2>/dev/null
recipient=$(age-keygen -y key.txt)
printf 'correct horse battery staple lamp wind river\n' > pass.txt

# One measurement: "seconds KiB" of the command.
measure() { /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null 2>&1; cat time.txt; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: > seal.txt; : > age-a.txt; : > open.txt; : > age-d.txt
for _ in $(seq "$runs"); do
  rm -f big.age big.html
  measure age -r "$recipient" -a -o big.age big.bin >> age-a.txt
  measure "$sealer" seal --to a@example.org --attach big.bin --passphrase-file pass.txt \
    --output big.html >> seal.txt
done
for _ in $(seq "$runs"); do
  rm -rf out big.dec && mkdir out
  measure age -d -i key.txt -o big.dec big.age >> age-d.txt
  measure "$sealer" open big.html --passphrase-file pass.txt --output-dir out >> open.txt
done
cmp -s out/big.bin big.bin && cmp -s big.dec big.bin || { echo "outputs differ" >&2; exit 1; }

report() {
  local ours=$1 theirs=$2 what=$3
  local t_ours t_theirs m_ours m_theirs
  t_ours=$(cut -d' ' -f1 "$ours" | median); t_theirs=$(cut -d' ' -f1 "$theirs" | median)
  m_ours=$(cut -d' ' -f2 "$ours" | median); m_theirs=$(cut -d' ' -f2 "$theirs" | median)
  printf '%-34s %6.2f s %5d MiB | age %6.2f s %5d MiB | ratio %.2f\n' "$what" \
    "$t_ours" $((m_ours / 1024)) "$t_theirs" $((m_theirs / 1024)) \
    "$(echo "$t_ours / $t_theirs" | bc -l)"
}
echo "$mib MiB attachment, medians of $runs alternating runs ($(nproc) cores)"
report seal.txt age-a.txt "sealer seal (page) vs age -r -a"
report open.txt age-d.txt "sealer open (page) vs age -d"
echo "page $(stat -c %s big.html) bytes, age armour $(stat -c %s big.age) bytes"
