#!/usr/bin/env bash
# Peer benchmark: careflow against SimPy and against a hand-written event loop (its speed limit)
# on the same three models, on this machine, in one run.
#
#   scripts/peer_benchmark.sh            # the throughput table (under a minute after the build)
#   scripts/peer_benchmark.sh --check    # also the long-run cross-check of outputs (~3 min more)
#
# Works from a fresh clone: it creates a virtual environment in target/peer-venv (the target
# folder is CARGO_TARGET_DIR when that is set), installs SimPy there from PyPI, and builds
# examples/peer_throughput.rs in release mode.
#
# Models (time in days): scenarios/peer_mmc, scenarios/peer_blocking, scenarios/peer_pathways,
# the same models in SimPy in benches/peer/models.py, and hand-written Rust event loops of them
# in benches/peer/reference.rs. Throughput is patients per second (arrivals simulated / wall
# time), single-threaded for all; the loop and careflow's long run simulate about a million
# patients in one replication, careflow's short runs 200 replications of 365 days, SimPy 10 of
# 365 days (a few seconds). Patients per second is a rate, so they compare directly. Every
# figure is the median of RUNS runs (default 3).
#
# Environment: RUNS (runs per measurement, default 3), PYTHON (interpreter for the venv,
# default python3), SIMPY_VERSION (default 4.1.1).

set -euo pipefail

RUNS=${RUNS:-3}
PYTHON=${PYTHON:-python3}
SIMPY_VERSION=${SIMPY_VERSION:-4.1.1}
HORIZON=365
# Replications per run: SimPy about 2-3 s a run, careflow long enough to time well.
SIMPY_REPLICATIONS=10
CAREFLOW_REPLICATIONS=200
PARALLEL_REPLICATIONS=100
CHECK=false

for arg in "$@"; do
    case "$arg" in
        --check) CHECK=true ;;
        -h | --help)
            sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "error: unknown argument '$arg' (try --help)" >&2
            exit 2
            ;;
    esac
done

die() {
    echo "error: $*" >&2
    exit 1
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -f Cargo.toml && -f benches/peer/models.py ]] || die "run this from a careflow checkout"
case "$RUNS" in '' | *[!0-9]* | 0) die "RUNS must be a positive integer, found '$RUNS'" ;; esac

command -v "$PYTHON" > /dev/null || die "'$PYTHON' not found: install Python 3 or set PYTHON"
command -v cargo > /dev/null || die "cargo not found: install Rust (https://rustup.rs)"

# --- SimPy in a local virtual environment ---------------------------------------------------
TARGET_DIR=${CARGO_TARGET_DIR:-target}
VENV=$TARGET_DIR/peer-venv
VPY=$VENV/bin/python
if [[ ! -x $VPY ]]; then
    echo "creating virtual environment $VENV" >&2
    mkdir -p "$TARGET_DIR"
    "$PYTHON" -m venv "$VENV" \
        || die "could not create $VENV (on Debian/Ubuntu: apt-get install python3-venv)"
fi
if ! "$VPY" -c "import simpy, sys; sys.exit(simpy.__version__ != '$SIMPY_VERSION')" 2> /dev/null; then
    echo "installing simpy==$SIMPY_VERSION into $VENV" >&2
    "$VPY" -m pip install --quiet --disable-pip-version-check "simpy==$SIMPY_VERSION" \
        || die "could not install simpy==$SIMPY_VERSION from PyPI"
fi

# --- careflow ---------------------------------------------------------------------------------
echo "building examples/peer_throughput.rs (release)" >&2
cargo build --release --quiet --example peer_throughput || die "cargo build failed"
CAREFLOW=$TARGET_DIR/release/examples/peer_throughput
[[ -x $CAREFLOW ]] || die "$CAREFLOW was not built"

# --- helpers ----------------------------------------------------------------------------------
# field NAME LINE: the value of NAME=value in a result line.
field() {
    local value
    value=$(tr ' ' '\n' <<< "$2" | sed -n "s/^$1=//p")
    [[ -n $value ]] || die "no '$1=' in result line: $2"
    echo "$value"
}

# result_line TOOL CMD...: runs CMD, returns the line starting with "TOOL ".
result_line() {
    local tool=$1 out line
    shift
    out=$("$@") || die "failed: $*"
    line=$(grep -m1 "^$tool " <<< "$out") || die "no '$tool ...' result line from: $*"
    echo "$line"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) exit 1
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure FIELD TOOL CMD...: median of FIELD over RUNS runs.
measure() {
    local name=$1 tool=$2 i
    shift 2
    for ((i = 0; i < RUNS; i++)); do
        field "$name" "$(result_line "$tool" "$@")"
    done | median
}

# --- throughput ---------------------------------------------------------------------------------
NPROC=$(nproc)
echo "machine: $NPROC cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1);" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$NPROC" 'BEGIN { exit !(l > n / 2) }'; then
    echo "warning: the machine is busy (load above half the cores): timings will be low," \
        "the parallel one most of all" >&2
fi
echo "$("$VPY" --version), simpy $SIMPY_VERSION; $(rustc --version)"
echo "each figure: median of $RUNS runs; horizon $HORIZON days; SimPy $SIMPY_REPLICATIONS," \
    "careflow $CAREFLOW_REPLICATIONS replications a run"

# Days of one long replication: about a million arrivals at each model's rate.
declare -A LONG_DAYS=([mmc]=22222 [blocking]=25000 [pathways]=20000)
declare -A SIMPY_RATE CAREFLOW_RATE LOOP_RATE LONG_RATE
for model in mmc blocking pathways; do
    echo "timing $model ..." >&2
    SIMPY_RATE[$model]=$(measure patients_per_s simpy "$VPY" benches/peer/models.py "$model" \
        --horizon "$HORIZON" --replications "$SIMPY_REPLICATIONS")
    LOOP_RATE[$model]=$(measure patients_per_s reference "$CAREFLOW" "scenarios/peer_$model" \
        --horizon "${LONG_DAYS[$model]}" --replications 1 --reference)
    LONG_RATE[$model]=$(measure patients_per_s careflow "$CAREFLOW" "scenarios/peer_$model" \
        --horizon "${LONG_DAYS[$model]}" --replications 1)
    CAREFLOW_RATE[$model]=$(measure patients_per_s careflow "$CAREFLOW" "scenarios/peer_$model" \
        --horizon "$HORIZON" --replications "$CAREFLOW_REPLICATIONS")
done

echo "timing pathways, $PARALLEL_REPLICATIONS replications x $HORIZON days, 1 thread and all threads ..." >&2
ONE_SECONDS=$(measure seconds careflow "$CAREFLOW" scenarios/peer_pathways \
    --horizon "$HORIZON" --replications "$PARALLEL_REPLICATIONS")
ALL_SECONDS=$(measure seconds careflow "$CAREFLOW" scenarios/peer_pathways \
    --horizon "$HORIZON" --replications "$PARALLEL_REPLICATIONS" --threads-all)
ALL_RATE=$(measure patients_per_s careflow "$CAREFLOW" scenarios/peer_pathways \
    --horizon "$HORIZON" --replications "$PARALLEL_REPLICATIONS" --threads-all)

echo
echo "patients per second, 1 thread:"
printf '%-10s %12s %12s %14s %14s | %10s %11s %9s\n' model "hand loop" "SimPy" \
    "careflow long" "careflow 200y" "long/loop" "200y/long" "vs SimPy"
for model in mmc blocking pathways; do
    awk -v m="$model" -v s="${SIMPY_RATE[$model]}" -v c="${CAREFLOW_RATE[$model]}" \
        -v l="${LOOP_RATE[$model]}" -v g="${LONG_RATE[$model]}" 'BEGIN {
        printf "%-10s %12.0f %12.0f %14.0f %14.0f | %9.0f%% %10.0f%% %8.0fx\n",
            m, l, s, g, c, 100 * g / l, 100 * c / g, c / s }'
done
echo "(long: one replication of about a million patients; 200y: $CAREFLOW_REPLICATIONS replications x $HORIZON days;" \
    "vs SimPy: careflow 200y / SimPy)"
echo
awk -v one="$ONE_SECONDS" -v all="$ALL_SECONDS" -v rate="$ALL_RATE" -v n="$NPROC" \
    -v reps="$PARALLEL_REPLICATIONS" -v h="$HORIZON" 'BEGIN {
    printf "pathways, %d replications x %d days: 1 thread %.3f s; all %d threads %.3f s " \
        "(%.0f patients/s)\n", reps, h, one, n, all, rate
    printf "speed-up %.2fx on %d cores: parallel efficiency %.0f%%\n", one / all, n, 100 * one / all / n
}'

# --- optional cross-check: same models, same outputs -------------------------------------------
if $CHECK; then
    echo
    echo "cross-check: 3650 days; SimPy 10 replications, careflow 40 (means, se = standard error)"
    for model in mmc blocking pathways; do
        "$VPY" benches/peer/models.py "$model" --horizon 3650 --replications 10 \
            || die "SimPy $model failed"
        "$CAREFLOW" "scenarios/peer_$model" --horizon 3650 --replications 40 \
            || die "careflow $model failed"
    done
fi
