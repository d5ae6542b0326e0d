#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared helpers for the kubectl end-to-end tests against rollscope-sim.
# Each test script: source this, call start_sim [args], then use k (kubectl) and the asserts.
set -euo pipefail

BUILD_DIR=${ROLLSCOPE_BUILD_DIR:?ROLLSCOPE_BUILD_DIR must point at the build tree}
SIM="$BUILD_DIR/bin/rollscope-sim"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rollscope-e2e.XXXXXX")
export KUBECONFIG="$WORK/kubeconfig"
export KUBECACHEDIR="$WORK/kube-cache" # discovery cache per test run
SIM_PID=""
FAILURES=0

cleanup() {
    local pids
    pids=$(jobs -p || true)
    [ -n "$pids" ] && kill $pids 2>/dev/null || true
    if [ -n "$SIM_PID" ]; then
        kill -TERM "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

need_kubectl() {
    if ! command -v kubectl >/dev/null 2>&1; then
        echo "SKIP: kubectl is not installed; these tests drive the simulator with real kubectl"
        exit 77
    fi
}

# start_sim [rollscope-sim options...]: starts the simulator and blocks until it serves (its
# first stdout line), reading through a FIFO rather than polling a file.
start_sim() {
    mkfifo "$WORK/sim.fifo"
    "$SIM" --listen 127.0.0.1:0 --kubeconfig "$KUBECONFIG" "$@" >"$WORK/sim.fifo" 2>"$WORK/sim.err" &
    SIM_PID=$!
    exec 3<"$WORK/sim.fifo"
    local line=""
    if ! read -r -t 120 line <&3; then
        echo "rollscope-sim did not start:"; cat "$WORK/sim.err"; exit 1
    fi
    case "$line" in
        "rollscope-sim: serving "*) SERVER=${line#rollscope-sim: serving } ;;
        *) echo "unexpected first line from rollscope-sim: $line"; cat "$WORK/sim.err"; exit 1 ;;
    esac
    cat <&3 >"$WORK/sim.out" &
}

need_jq() {
    if ! command -v jq >/dev/null 2>&1; then
        echo "SKIP: jq is not installed; this test reads kubectl's JSON with it"
        exit 77
    fi
}

# wait_until TIMEOUT_SECONDS COMMAND...: polls COMMAND until it succeeds; fails after the deadline.
wait_until() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1 # paces the poll; the deadline bounds it
    done
}

k() { kubectl --request-timeout=20s "$@"; }

# run_rc VAR COMMAND...: runs COMMAND (stdout+stderr into VAR), sets RC to its exit status.
RC=0
run_rc() {
    local __var=$1; shift
    local __out
    RC=0
    __out=$("$@" 2>&1) || RC=$?
    printf -v "$__var" '%s' "$__out"
}
# check NAME EXPECTED_RC REGEX COMMAND...: runs COMMAND, asserts its exit status and its output.
check() {
    local name=$1 want=$2 re=$3; shift 3
    run_rc out "$@"
    assert_eq "$name: exit $want" "$want" "$RC"
    assert_match "$name" "$re" "$out"
}
pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; FAILURES=$((FAILURES + 1)); }

# assert_eq NAME EXPECTED ACTUAL
assert_eq() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1"; printf '      expected: %s\n      actual:   %s\n' "$2" "$3"; fi
}
# assert_match NAME REGEX TEXT
# (grep reads TEXT from a process substitution, not a pipe: under pipefail, grep -q exiting at the
# first match can SIGPIPE the printf and turn a match into a failure, or hide one from
# assert_no_match.)
assert_match() {
    if grep -Eq -- "$2" < <(printf '%s' "$3"); then pass "$1"; else fail "$1"; printf '      pattern: %s\n      text:\n%s\n' "$2" "$3" | sed 's/^/      /'; fi
}
assert_no_match() {
    if grep -Eq -- "$2" < <(printf '%s' "$3"); then fail "$1"; printf '      unexpected: %s\n      text:\n%s\n' "$2" "$3" | sed 's/^/      /'; else pass "$1"; fi
}

finish() {
    if [ "$FAILURES" -ne 0 ]; then
        echo "$FAILURES assertion(s) failed"
        echo "--- simulator stderr ---"; tail -n 50 "$WORK/sim.err" || true
        exit 1
    fi
    echo "all assertions passed"
}
