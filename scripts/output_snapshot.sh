#!/usr/bin/env bash
# Snapshot of what every bundled scenario writes, for checking that an engine change leaves the
# outputs byte-identical (issue #18's "outputs identical" rule).
#
#   scripts/output_snapshot.sh DIR            # write the snapshot into DIR (must not exist)
#   scripts/output_snapshot.sh DIR --compare  # write a fresh one beside DIR and diff the two
#
# Workflow: snapshot before the change, make the change, run again with --compare. Each
# scenario runs with REPLICATIONS replications (default 20; under a minute on two cores); the
# files compared are everything run_scenario writes (replications, summary, daily, finance,
# run), less run.csv's lines for the wall time, the version and the thread count.
#
# Environment: REPLICATIONS (default 20).

set -euo pipefail

REPLICATIONS=${REPLICATIONS:-20}

die() {
    echo "error: $*" >&2
    exit 1
}

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 DIR [--compare]"
dir=$1
compare=false
if [[ $# -eq 2 ]]; then
    [[ $2 == --compare ]] || die "unknown argument '$2' (expected --compare)"
    compare=true
fi
case "$REPLICATIONS" in '' | *[!0-9]* | 0) die "REPLICATIONS must be a positive integer, found '$REPLICATIONS'" ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -f $root/Cargo.toml ]] || die "run this from a careflow checkout"

if $compare; then
    [[ -d $dir ]] || die "no snapshot at '$dir' to compare with"
    target="$(mktemp -d)"
    trap 'rm -rf "$target"' EXIT
else
    [[ ! -e $dir ]] || die "'$dir' exists: give a new folder, or --compare to check against it"
    target=$dir
fi

(cd "$root" && cargo build --release --example run_scenario --quiet)
runner="${CARGO_TARGET_DIR:-$root/target}/release/examples/run_scenario"

mkdir -p "$target"
for scenario in "$root"/scenarios/*/; do
    name=$(basename "$scenario")
    [[ -f $scenario/settings.csv ]] || continue
    "$runner" "$scenario" --replications "$REPLICATIONS" --out "$target/$name" > "$target/$name.log" 2>&1 ||
        die "scenario $name failed: see $target/$name.log"
    # run.csv records the wall time and the build; drop what changes from run to run.
    if [[ -f $target/$name/run.csv ]]; then
        grep -v -E '^(seconds|careflow_version|threads),' "$target/$name/run.csv" \
            > "$target/$name/run.stable.csv" || true
        rm "$target/$name/run.csv"
    fi
    rm -f "$target/$name.log"
done

if $compare; then
    if diff -r "$dir" "$target" > /dev/null; then
        echo "outputs identical to $dir ($(find "$target" -type f | wc -l) files)"
    else
        diff -r "$dir" "$target" | head -40
        die "outputs differ from $dir"
    fi
else
    echo "snapshot written to $dir ($(find "$target" -type f | wc -l) files)"
fi
