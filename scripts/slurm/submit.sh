#!/usr/bin/env bash
# Submits a careflow experiment to Slurm as a job array of N shards plus a merge job that
# runs when (and only if) every shard succeeded. See README.md.
#
#   scripts/slurm/submit.sh --shards N [--out DIR] [--work DIR] [--bin DIR] [--level L]
#       [--html] [--overwrite] [--sbatch "SBATCH OPTIONS"] SCENARIO_DIR [-- compare_policies options]
#
#   --shards N     number of array tasks (shards); required
#   --out DIR      merged results (default: out/<scenario>-compare, as compare_policies)
#   --work DIR     shard files and job logs (default: out/<scenario>-shards)
#   --bin DIR      the built examples (default: target/release/examples of this checkout)
#   --level L      confidence level of the merged report (default 0.95)
#   --html         also write report.html
#   --overwrite    replace earlier shards in --work and results in --out
#   --sbatch ARGS  extra sbatch options for every job, e.g. "--partition=short --time=1:00:00"
#   -- OPTIONS     given to every shard's compare_policies, e.g. -- --replications 40 --seed 7
#
# Prints the two job ids (ARRAY_JOB=… and MERGE_JOB=…) and where the results will be.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 2
}
die() {
    echo "submit.sh: $*" >&2
    exit 1
}

shards="" out="" work="" bin="$root/target/release/examples" level="" html="" overwrite=""
sbatch_args=""
scenario=""
while [ $# -gt 0 ]; do
    case "$1" in
    --shards) shards="${2:?--shards needs a number}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --work) work="${2:?--work needs a folder}"; shift 2 ;;
    --bin) bin="${2:?--bin needs a folder}"; shift 2 ;;
    --level) level="${2:?--level needs a number}"; shift 2 ;;
    --html) html=1; shift ;;
    --overwrite) overwrite=1; shift ;;
    --sbatch) sbatch_args="${2?--sbatch needs options}"; shift 2 ;;
    -h | --help) usage ;;
    --) shift; break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
        [ -z "$scenario" ] || die "one scenario folder only (found $scenario and $1); compare_policies options go after --"
        scenario="$1"; shift ;;
    esac
done
shard_options=("$@")

[ -n "$scenario" ] || die "no scenario folder given (see --help)"
[ -d "$scenario" ] || die "$scenario is not a folder"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || die "--shards: expected a whole number of at least 1, found '${shards}'"
for exe in compare_policies merge; do
    [ -x "$bin/$exe" ] || die "$bin/$exe not found: build once with 'cargo build --release --examples' (or give --bin)"
done
command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm login node"

name="$(basename "$(cd "$scenario" && pwd)")"
scenario="$(cd "$scenario" && pwd)"
bin="$(cd "$bin" && pwd)"
work="${work:-out/$name-shards}"
out="${out:-out/$name-compare}"
mkdir -p "$work/shards" "$work/logs" "$(dirname "$out")"
work="$(cd "$work" && pwd)"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
case "$work/" in "$scenario"/*) die "--work $work is inside the scenario folder, whose files are hashed" ;; esac
case "$out/" in "$scenario"/*) die "--out $out is inside the scenario folder, whose files are hashed" ;; esac

# Refuse to mix runs: earlier shards or results stay unless --overwrite.
old_shards=$(find "$work/shards" -maxdepth 1 -name 'shard-*-of-*.*' | wc -l)
old_results=0
if [ -d "$out" ]; then
    old_results=$(find "$out" -maxdepth 1 \( -name '*.csv' -o -name report.html \) | wc -l)
fi
if [ -z "$overwrite" ]; then
    [ "$old_shards" -eq 0 ] || die "$work/shards already holds shard files; pass --overwrite to replace them, or --work another folder"
    [ "$old_results" -eq 0 ] || die "$out already holds results; pass --overwrite to replace them, or --out another folder"
else
    find "$work/shards" -maxdepth 1 -name 'shard-*-of-*.*' -delete
fi

merge_options=()
[ -z "$level" ] || merge_options+=(--level "$level")
[ -z "$html" ] || merge_options+=(--html)
[ -z "$overwrite" ] || merge_options+=(--overwrite)

# shellcheck disable=SC2086 # $sbatch_args is a list of options, split on purpose
array_job=$(sbatch --parsable --array="1-$shards" $sbatch_args \
    --output="$work/logs/shard-%a.out" \
    "$here/careflow-array.sbatch" "$bin" "$scenario" "$work/shards" "${shard_options[@]}")
array_job="${array_job%%;*}"
# shellcheck disable=SC2086
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    $sbatch_args --output="$work/logs/merge.out" \
    "$here/careflow-merge.sbatch" "$bin" "$scenario" "$work/shards" "$shards" "$out" "${merge_options[@]}")
merge_job="${merge_job%%;*}"

echo "ARRAY_JOB=$array_job"
echo "MERGE_JOB=$merge_job"
echo "submitted $shards shards of $name (job $array_job) and their merge (job $merge_job)"
echo "  shards: $work/shards   logs: $work/logs"
echo "  results (when job $merge_job completes): $out"
echo "  watch with: squeue -j $array_job,$merge_job"
