#!/usr/bin/env bash
# Rebuilds the seed corpus of the load_scenario fuzz target from the bundled scenarios: each
# scenario folder becomes one input, its files as `--- NAME` sections (see
# fuzz_targets/load_scenario.rs), whole and with its comment lines dropped. Hand-written seeds
# (names not starting with `scenario-`) are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus/load_scenario
mkdir -p "$out"
rm -f "$out"/scenario-*
for dir in scenarios/*/; do
    name=$(basename "$dir")
    whole="$out/scenario-$name"
    bare="$out/scenario-$name-bare"
    : >"$whole"
    : >"$bare"
    (cd "$dir" && find . -name '*.csv' | sed 's|^\./||' | LC_ALL=C sort) | while read -r file; do
        printf -- '--- %s\n' "$file" >>"$whole"
        cat "$dir/$file" >>"$whole"
        printf -- '--- %s\n' "$file" >>"$bare"
        grep -v '^#' "$dir/$file" >>"$bare" || true
    done
    if cmp -s "$whole" "$bare"; then rm "$bare"; fi
done
ls "$out" | wc -l
