#!/usr/bin/env bash
# Time against a file's size: one lesson record whose front matter (or body) has N extra
# lines or items, for N in 10k, 100k, 1M, then `kb check`, `kb index --rebuild`,
# `kb search WORD` and `kb list` on it, each timed as a whole process: wall seconds, CPU
# seconds (user + sys: steadier on a busy machine) and peak RSS. Linear code takes ~10x
# the time per 10x the lines. Then pathological YAML (deep nesting, alias expansion): each
# must be refused with `path:line: message` or read in bounded time and memory.
#   bench/speed/sizebench.sh [KB_BINARY]        (default build/app/kb)
# Environment: SIZES="10000 100000 1000000",
# VARIANTS="keys keys-rev flow-keys tags flow-tags touchpoint body" (see write_record),
# TIMEOUT=120 (seconds per command; a variant's larger sizes are skipped once one times
# out), PATHOLOGICAL=0 skips the pathological section, KEEP=1 keeps the temporary root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
kb=${1:-$repo/build/app/kb}
[[ -x $kb ]] || { echo "sizebench: no kb binary at $kb" >&2; exit 2; }
sizes=${SIZES:-10000 100000 1000000}
variants=${VARIANTS:-keys keys-rev flow-keys tags flow-tags touchpoint body}
limit=${TIMEOUT:-120}
timer=/usr/bin/time
[[ -x $timer ]] || { echo "sizebench: needs GNU time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/size-bench.XXXXXX")
[[ ${KEEP:-} == 1 ]] || trap 'rm -rf "$work"' EXIT
root=$work/root
# --bare (where kb has it): no shared vocabularies from the install; the shipped ones follow.
"$kb" init --bare "$root" >/dev/null 2>&1 || "$kb" init "$root" >/dev/null
cp "$repo"/content/vocab/*.yaml "$root/vocab/"
sed -i 's/^max_file_bytes:.*/max_file_bytes: 200000000/' "$root/kb.yaml"
grep -q '^max_file_bytes: 200000000' "$root/kb.yaml" || echo 'max_file_bytes: 200000000' >>"$root/kb.yaml"
mkdir -p "$root/lessons"
record=$root/lessons/big.md
word=sizebenchword

head_lines() {
  cat <<EOF
---
id: les-20200101-size-bench
type: lesson
title: Size bench $word
date: 2020-01-01
kind: project-retro
region: cn-south
outcome: mixed
impact: high
category: [technical]
EOF
}
body() {
  printf -- '---\n\n## 背景 / Background\n\nOne record, many lines: %s.\n' "$word"
}

# Writes the record for one variant with N extra lines.
write_record() {
  local variant=$1 n=$2
  {
    if [[ $variant == flow-keys ]]; then echo '---'; else head_lines; fi
    case $variant in
    keys) # N top-level keys, ascending
      echo 'touchpoint: [tp01-proposal]'
      awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "x_%07d: value %07d\n", i, i }' ;;
    keys-rev) # N top-level keys, descending (worst order for a sorted insert)
      echo 'touchpoint: [tp01-proposal]'
      awk -v n="$n" 'BEGIN { for (i = n; i >= 1; i--) printf "x_%07d: value %07d\n", i, i }' ;;
    flow-keys) # the whole front matter one flow mapping on one line, N keys more
      printf '{id: les-20200101-size-bench, type: lesson, title: Size bench %s, date: 2020-01-01, ' "$word"
      printf 'kind: project-retro, outcome: mixed, touchpoint: [tp01-proposal]'
      awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf ", x_%07d: v", i }'
      echo '}'
      body
      return ;;
    tags) # a list the indexer turns into terms and facets
      echo 'touchpoint: [tp01-proposal]'
      echo 'tags:'
      awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "- t%07d\n", i }' ;;
    flow-tags) # the same list in flow style, on one line
      echo 'touchpoint: [tp01-proposal]'
      awk -v n="$n" 'BEGIN { printf "tags: [t0000001"; for (i = 2; i <= n; i++) printf ", t%07d", i; print "]" }' ;;
    touchpoint) # a list of vocabulary entries: validated and expanded item by item
      echo 'touchpoint:'
      awk -v n="$n" 'BEGIN { split("tp01-proposal tp02-bid tp03-negotiation tp04-signing tp05-site-prep", t, " ");
                             for (i = 1; i <= n; i++) printf "- %s\n", t[1 + i % 5] }' ;;
    body) # N lines of Markdown after the front matter: a number per line, and N/200
      # words that each come 200 times (a wdf BM25 impacts lower)
      echo 'touchpoint: [tp01-proposal]'
      body
      awk -v n="$n" 'BEGIN { k = int(n / 200); if (k < 1) k = 1;
                             for (i = 1; i <= n; i++) printf "line %07d of the body, word w%05d, 客户 割接.\n", i, i % k }'
      return ;;
    esac
    body
  } >"$record"
}

# Runs one kb command under the time limit; prints "wall cpu rss_mb exit".
measure() {
  local out=$work/out tfile=$work/time rc=0
  "$timer" -f '%e %U %S %M' -o "$tfile" timeout "$limit" "$kb" --root "$root" "$@" >"$out" 2>&1 || rc=$?
  local secs user sys kbytes
  read -r secs user sys kbytes < <(tail -n 1 "$tfile")
  if ((rc == 124)); then
    echo ">$limit - - timeout"
  else
    awk -v s="$secs" -v u="$user" -v y="$sys" -v k="$kbytes" -v rc="$rc" \
      'BEGIN { printf "%.2f %.2f %.0f %d\n", s, u + y, k / 1024, rc }'
  fi
}
# A file written within 0.1 s of an index run is re-read by the next search (a change in
# the same timestamp tick must not be missed): date the record back so search only searches.
age_record() { touch -d '-1 minute' "$record"; }

commands=(check "index --rebuild" "search $word" list)
echo "# kb: $kb"
echo "# $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); timeout ${limit}s per command"
echo "# each cell: wall s / CPU s, peak RSS MB, (exit code when not 0)"
printf '%-10s %8s %10s' variant lines bytes
for c in check index search list; do printf ' %19s' "$c"; done
echo
for variant in $variants; do
  declare -A dead=()
  for n in $sizes; do
    write_record "$variant" "$n"
    age_record
    bytes=$(stat -c %s "$record")
    printf '%-10s %8s %10s' "$variant" "$n" "$bytes"
    noindex=
    [[ -n ${dead["index --rebuild"]:-} ]] && noindex=1
    for c in "${commands[@]}"; do
      if [[ -n ${dead[$c]:-} ]]; then
        printf ' %19s' skipped
        continue
      fi
      if [[ $c == search* && -n $noindex ]]; then # search would build the index itself
        printf ' %19s' "no index"
        continue
      fi
      # shellcheck disable=SC2086 # the command words split on purpose
      read -r secs cpu mb rc < <(measure $c)
      [[ $mb == - ]] && dead[$c]=1
      [[ $c == index* && $mb == - ]] && noindex=1
      cell="$secs/${cpu}s ${mb}M"
      [[ $rc != 0 && $rc != timeout ]] && cell+=" ($rc)"
      [[ $rc == timeout ]] && cell="${secs}s"
      printf ' %19s' "$cell"
    done
    echo
  done
  unset dead
done

# Pathological YAML: refused with `path:line: message`, or read in bounded time.
[[ ${PATHOLOGICAL:-1} == 0 ]] && exit 0
echo
echo "# pathological front matter: kb check (wall/CPU s, peak RSS, exit) and its first line;"
echo "# then kb index --rebuild on the same file"
repeat() { printf "%*s" "$2" "" | tr ' ' "$1"; }
path_case() {
  local name=$1
  {
    head_lines
    echo 'touchpoint: [tp01-proposal]'
    case $name in
    flow-deep) # k: [[[[ ... ]]]] 100k deep
      printf 'k: %s%s\n' "$(repeat '[' 100000)" "$(repeat ']' 100000)" ;;
    flow-open) # 100k brackets never closed
      printf 'k: %s\n' "$(repeat '[' 100000)" ;;
    flow-map-deep) # k: {a: {a: ... }} 50k deep
      printf 'k: %s1%s\n' "$(awk 'BEGIN { for (i = 0; i < 50000; i++) printf "{a: " }')" "$(repeat '}' 50000)" ;;
    block-seq-deep) # k: - - - - ... x, 100k block sequences on one line
      printf 'k:\n  %sx\n' "$(awk 'BEGIN { for (i = 0; i < 100000; i++) printf "- " }')" ;;
    block-map-deep) # 3000 block mappings, each indented one space more
      echo 'k:'
      awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "%*sa:\n", i, "" ; printf "%*s1\n", 3001, "" }' ;;
    billion-laughs) # 9 levels of 9 aliases each: 387M strings if expanded
      echo 'l0: &l0 lol'
      for i in 1 2 3 4 5 6 7 8 9; do
        printf 'l%d: &l%d [' "$i" "$i"
        for j in 1 2 3 4 5 6 7 8 9; do printf '*l%d%s' $((i - 1)) "$([[ $j == 9 ]] || echo ', ')"; done
        echo ']'
      done
      echo 'tags: *l9' ;;
    laughs-in-list) # the same, with the expansion wanted inside a schema list field
      echo 'l0: &l0 lol'
      for i in 1 2 3 4 5 6 7 8; do
        printf 'l%d: &l%d [' "$i" "$i"
        for j in 1 2 3 4 5 6 7 8 9; do printf '*l%d%s' $((i - 1)) "$([[ $j == 9 ]] || echo ', ')"; done
        echo ']'
      done
      printf 'related: [*l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8]\n' ;;
    many-anchors) # 100k anchored scalars, each aliased once
      awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "a%d: &a%d v\nb%d: *a%d\n", i, i, i, i }' ;;
    esac
    body
  } >"$record"
}
printf '%-15s %9s %21s %21s  %s\n' case bytes check index "first line of kb check"
for name in flow-deep flow-open flow-map-deep block-seq-deep block-map-deep billion-laughs laughs-in-list many-anchors; do
  path_case "$name"
  age_record
  bytes=$(stat -c %s "$record")
  read -r secs cpu mb rc < <(measure check)
  first=$( (grep -v 'records checked' "$work/out" || true) | head -n 1 | cut -c 1-110)
  read -r isecs icpu imb irc < <(measure index --rebuild)
  printf '%-15s %9s %21s %21s  %s\n' "$name" "$bytes" "$secs/${cpu}s ${mb}M ($rc)" \
    "$isecs/${icpu}s ${imb}M ($irc)" "${first:-(no findings)}"
done
