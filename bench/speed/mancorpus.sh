#!/usr/bin/env bash
# A root of long real documents for the serve load run: Debian's man pages (Chinese
# first, then English), roff stripped roughly, one plain Markdown note each.
#   bench/speed/mancorpus.sh OUT_DIR [COUNT=10000]
# Needs the manpages and manpages-zh packages (./dev test installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: mancorpus.sh OUT_DIR [COUNT]}
count=${2:-10000}
kb=${KB:-$here/../../build/app/kb}
rm -rf "$out" && mkdir -p "$out/notes"
(cd "$out" && "$kb" init >/dev/null)
set +o pipefail # head ends the listing early; find's SIGPIPE is expected
{
  find /usr/share/man/zh_CN /usr/share/man/zh_TW -name "*.gz" 2>/dev/null | sort
  find /usr/share/man/man1 /usr/share/man/man3 /usr/share/man/man8 /usr/share/man/man5 \
    -name "*.gz" 2>/dev/null | sort
} | head -n "$count" | {
  i=0
  while read -r f; do
    i=$((i + 1))
    name=$(basename "$f" .gz)
    {
      echo "# $name"
      echo
      zcat "$f" 2>/dev/null | grep -v '^\.\\"' |
        sed -E 's/^\.[A-Za-z]+ ?//; s/\\f[BIRP]//g; s/\\-/-/g; s/\\\(..//g; s/\\//g' |
        iconv -f utf-8 -t utf-8 -c
    } >"$out/notes/$i-$name.md"
  done
}
echo "mancorpus: $(ls "$out/notes" | wc -l) notes in $out/notes ($(du -sh "$out/notes" | cut -f1))"
