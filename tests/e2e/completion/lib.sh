#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared by the completion tests: the kubectl tests' simulator helpers (start_sim, asserts) plus
# the built rollscope and a timed runner.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../kubectl/lib.sh"
ROLLSCOPE="$BUILD_DIR/bin/rollscope"
SOURCE_DIR=$(cd "$here/../../.." && pwd)

# run_timed COMMAND...: runs COMMAND; sets OUT (stdout), ERR (stderr), RC and MS (wall time).
OUT="" ERR="" RC=0 MS=0
run_timed() {
    local start end
    start=$(date +%s%N)
    RC=0
    "$@" >"$WORK/run.out" 2>"$WORK/run.err" </dev/null || RC=$?
    end=$(date +%s%N)
    MS=$(((end - start) / 1000000))
    OUT=$(cat "$WORK/run.out")
    ERR=$(cat "$WORK/run.err")
}

# lines TEXT...: the words, one per line (what the helper prints for a list of names).
lines() { printf '%s\n' "$@"; }
