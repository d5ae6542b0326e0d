#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The official Python client (Debian's python3-kubernetes, run with /usr/bin/python3: another
# python3 earlier on PATH may lack Debian's packages) against rollscope-sim; the checks are in
# python_client.py. Skipped (77) when the package is not installed.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../kubectl/lib.sh"
PYTHON=/usr/bin/python3
if ! "$PYTHON" -c 'import kubernetes' 2>/dev/null; then
    echo "SKIP: python3-kubernetes is not installed (packaging/install-deps.sh test installs it)"
    exit 77
fi
"$PYTHON" -c 'import kubernetes; print("python3-kubernetes", kubernetes.__version__)'
# --speed 5: rollouts take seconds; every wait in the checks is a poll with a deadline.
start_sim --scenario demo --speed 5 --seed 11
"$PYTHON" "$here/python_client.py" || FAILURES=$((FAILURES + 1))
assert_no_match "no sanitizer report" 'AddressSanitizer|LeakSanitizer|runtime error' "$(cat "$WORK/sim.err")"
finish
