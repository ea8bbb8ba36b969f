#!/usr/bin/env bash
# Tests the Slurm scripts on a real Slurm: starts a one-node cluster on this machine
# (localhost), submits a small sweep with submit.sh exactly as README.md documents it — an
# array of shards and the dependent merge job — waits for both, and checks that the merged
# files equal a run of compare_policies in one go, byte for byte (all but run.csv).
#
#   bash scripts/slurm/local_test.sh [SHARDS]     (default 8 shards)
#
# Installs Debian's slurmctld, slurmd, slurm-client and munge when missing (needs root, as in
# CI). Everything else lives in one temporary folder: munge's key, socket and pid file,
# slurm.conf (passed with -f and SLURM_CONF), state, spool and logs. The daemons it starts
# (munged, slurmctld, slurmd) are stopped on exit by their PIDs; nothing else is touched.
# Exits non-zero with a message saying what failed; logs are printed then.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
count="${1:-8}"
replications=4
scenario="$root/scenarios/baseline"
timeout_s=240

step() { printf '\n==> %s\n' "$*"; }
tmp=""
pids=()
fail() {
    echo "slurm_local_test: FAILED: $*" >&2
    if [ -n "$tmp" ]; then
        for log in "$tmp"/slurm/*.log "$tmp"/munge/*.log "$tmp"/run/logs/*.out; do
            [ -f "$log" ] || continue
            echo "---- $log (last 30 lines)" >&2
            tail -n 30 "$log" >&2
        done
    fi
    exit 1
}
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "$tmp" ] && [ -z "${KEEP:-}" ]; then
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT

start=$(date +%s)
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
    ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    step "installing Debian's Slurm and munge"
    [ "$(id -u)" -eq 0 ] || fail "Slurm is missing; install it with: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null 2>&1 || {
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
    }
fi
[ "$(id -u)" -eq 0 ] || fail "the local cluster runs its daemons as root (SlurmUser=root); run as root"
slurmctld -V

step "building the examples"
cargo build --release --examples --quiet
bin="$root/target/release/examples"
[ -n "${CARGO_TARGET_DIR:-}" ] && bin="$CARGO_TARGET_DIR/release/examples"

tmp="$(mktemp -d -t careflow-slurm-XXXXXX)"
chmod 755 "$tmp"
mkdir -p "$tmp/munge/socket" "$tmp/slurm/state" "$tmp/slurm/spool"
# munged checks that its socket folder can be reached by the clients (world-executable).
chmod 711 "$tmp/munge"
chmod 755 "$tmp/munge/socket"

step "starting munged (own key and socket)"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
socket="$tmp/munge/socket/munge.socket"
munged --foreground --force --key-file="$tmp/munge/munge.key" --socket="$socket" \
    --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" \
    --seed-file="$tmp/munge/munged.seed" >"$tmp/munge/stdout.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    [ -S "$socket" ] && break
    sleep 0.1
done
[ -S "$socket" ] || fail "munged did not start"
munge --socket="$socket" -n | unmunge --socket="$socket" >/dev/null || fail "munge cannot encode and decode a credential"

step "starting slurmctld and slurmd on localhost"
host="$(hostname -s)"
cpus="$(nproc)"
# Free ports, chosen by the kernel, so a cluster already running here is left alone.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
conf="$tmp/slurm/slurm.conf"
cat >"$conf" <<CONF
ClusterName=careflowtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/slurm/state
SlurmdSpoolDir=$tmp/slurm/spool
SlurmctldPidFile=$tmp/slurm/slurmctld.pid
SlurmdPidFile=$tmp/slurm/slurmd.pid
SlurmctldLogFile=$tmp/slurm/slurmctld.log
SlurmdLogFile=$tmp/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=careflow Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
slurmctld -D -i -f "$conf" >"$tmp/slurm/slurmctld.stdout.log" 2>&1 &
pids+=($!)
slurmd -D -f "$conf" >"$tmp/slurm/slurmd.stdout.log" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 60); do
    state="$(sinfo -h -n "$host" -o %T 2>/dev/null || true)"
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || fail "the node did not become idle (state '${state}')"
sinfo

step "submitting $count shards and the merge with scripts/slurm/submit.sh"
submitted=$(date +%s)
submit_log="$tmp/submit.log"
bash scripts/slurm/submit.sh --shards "$count" --bin "$bin" --work "$tmp/run" \
    --out "$tmp/run/merged" "$scenario" -- --replications "$replications" | tee "$submit_log" ||
    fail "submit.sh failed"
array_job="$(sed -n 's/^ARRAY_JOB=//p' "$submit_log")"
merge_job="$(sed -n 's/^MERGE_JOB=//p' "$submit_log")"
[ -n "$array_job" ] && [ -n "$merge_job" ] || fail "submit.sh printed no job ids"

step "waiting for jobs $array_job and $merge_job (polling squeue)"
while [ -n "$(squeue -h -j "$array_job,$merge_job" -o %i 2>/dev/null)" ]; do
    [ $(($(date +%s) - submitted)) -lt "$timeout_s" ] || {
        squeue -j "$array_job,$merge_job" || true
        fail "the jobs did not finish within $timeout_s s"
    }
    sleep 1
done
finished=$(date +%s)
job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort -u | tr '\n' ' '; }
echo "array job $array_job: $(job_state "$array_job")"
echo "merge job $merge_job: $(job_state "$merge_job")"
[ "$(job_state "$array_job")" = "COMPLETED " ] || fail "some shards did not complete"
[ "$(job_state "$merge_job")" = "COMPLETED " ] || fail "the merge job did not complete"
echo "$count shards and the merge ran in $((finished - submitted)) s"

step "the same sweep on this machine in one go"
"$bin/compare_policies" "$scenario" --replications "$replications" --out "$tmp/single" >/dev/null 2>"$tmp/single.log" ||
    { cat "$tmp/single.log"; fail "compare_policies failed"; }

step "comparing the merged files with the single run"
compared=0
for file in "$tmp/single"/*; do
    name="$(basename "$file")"
    [ "$name" = run.csv ] && continue
    [ -f "$tmp/run/merged/$name" ] || fail "the merge did not write $name"
    cmp "$file" "$tmp/run/merged/$name" || fail "$name differs between the single run and the merge"
    echo "  $name: identical ($(wc -l <"$file") lines)"
    compared=$((compared + 1))
done
[ "$compared" -ge 4 ] || fail "only $compared files compared"
grep -q "^shards,$count$" "$tmp/run/merged/run.csv" || fail "run.csv of the merge lacks shards,$count"
for k in $(seq "$count"); do
    [ -s "$tmp/run/shards/shard-$k-of-$count.csv" ] || fail "shard-$k-of-$count.csv missing"
done

step "a failed shard cancels the merge (--kill-on-invalid-dep)"
bash scripts/slurm/submit.sh --shards 2 --bin "$bin" --work "$tmp/bad" --out "$tmp/bad/merged" \
    "$scenario" -- --replications 1 >"$submit_log" || fail "submit.sh failed"
array_job="$(sed -n 's/^ARRAY_JOB=//p' "$submit_log")"
merge_job="$(sed -n 's/^MERGE_JOB=//p' "$submit_log")"
waited=0
while [ -n "$(squeue -h -j "$array_job,$merge_job" -o %i 2>/dev/null)" ]; do
    [ "$waited" -lt 60 ] || fail "the merge of failed shards was left pending"
    sleep 1
    waited=$((waited + 1))
done
[ "$(job_state "$array_job")" = "FAILED " ] || fail "shards with --replications 1 should fail"
[ ! -e "$tmp/bad/merged/summary.csv" ] || fail "the merge ran after failed shards"
echo "array job $array_job: FAILED as it should; merge job $merge_job: $(job_state "$merge_job")"

echo
echo "slurm_local_test passed: $count shards + merge on a local Slurm $(slurmctld -V | cut -d' ' -f2) in $((finished - submitted)) s, identical to one run ($(($(date +%s) - start)) s in all)"
