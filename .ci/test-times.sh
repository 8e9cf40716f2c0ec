#!/usr/bin/env bash
# Prints the total time of the unit and integration tests and their slowest classes, from the
# reports Surefire and Failsafe wrote: CI shows the end of its log, and a run that grows
# towards CI's limit should say where its time goes.
cd "$(dirname "$0")/.."
for kind in surefire failsafe; do
  dir="target/$kind-reports"
  [ -d "$dir" ] || continue
  # one line per class: "<seconds> <class>", from the testsuite element's time attribute
  sed -n 's/.*<testsuite [^>]*name="\([^"]*\)"[^>]*time="\([0-9.,]*\)".*/\2 \1/p' "$dir"/TEST-*.xml 2>/dev/null \
    | tr -d , | sort -rn > "target/$kind-times.txt"
  total=$(awk '{s += $1} END {printf "%.0f", s}' "target/$kind-times.txt")
  echo "== $kind: $(wc -l < "target/$kind-times.txt") classes, ${total} s in all; the slowest:"
  head -12 "target/$kind-times.txt" | awk '{printf "   %7.1f s  %s\n", $1, $2}'
done
