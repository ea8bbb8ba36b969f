#!/usr/bin/env bash
# A short run of the scenario-loader fuzz target (fuzz/fuzz_targets/load_scenario.rs), as CI
# runs it: installs cargo-fuzz if it is missing, builds the target with libFuzzer's coverage
# instrumentation on the stable toolchain (no sanitizer: careflow has no unsafe code, and
# without one no nightly is needed), then fuzzes from the committed seed corpus for
# FUZZ_SECONDS (default 60). Exits non-zero if the fuzzer finds a crash, a hang (an input
# running over 10 s) or an input using over 2 GB; the input is left in
# fuzz/artifacts/load_scenario/.
#
#   bash scripts/fuzz_smoke.sh                 # 60 s
#   FUZZ_SECONDS=900 bash scripts/fuzz_smoke.sh  # a longer campaign
#
# New inputs the fuzzer finds go to a temporary corpus, so the committed one stays small;
# RELIABILITY.md says how to run a campaign that keeps them.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
step() { printf '\n==> %s\n' "$*"; }

if ! cargo fuzz --version >/dev/null 2>&1; then
    step "installing cargo-fuzz"
    start=$SECONDS
    cargo install cargo-fuzz --locked
    echo "installed in $((SECONDS - start)) s"
fi

step "building the fuzz target (cargo fuzz build -s none)"
start=$SECONDS
# The fuzz crate is its own workspace; careflow's RUSTFLAGS (e.g. -Dwarnings) still apply.
(cd fuzz && cargo fuzz build -s none load_scenario)
echo "built in $((SECONDS - start)) s"

step "fuzzing load_scenario for ${seconds} s from fuzz/corpus/load_scenario"
work="$(mktemp -d -t careflow-fuzz-XXXXXX)"
trap 'rm -rf "$work"' EXIT
status=0
(cd fuzz && cargo fuzz run -s none load_scenario "$work" corpus/load_scenario -- \
    -dict=load_scenario.dict -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -print_final_stats=1) >"$work/fuzz.log" 2>&1 || status=$?
grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done |stat::number_of_executed_units|stat::peak_rss)' "$work/fuzz.log" || true
if [ "$status" -ne 0 ]; then
    tail -n 60 "$work/fuzz.log"
    echo "fuzz_smoke: FAILED: the fuzzer found a problem (exit $status); see fuzz/artifacts/load_scenario/" >&2
    exit 1
fi
echo "fuzz_smoke: no crash, hang or out-of-memory input in ${seconds} s"
