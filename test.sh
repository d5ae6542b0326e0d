#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds with AddressSanitizer + UBSan (warnings are errors) into
# build-asan/ and runs the whole suite headless. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

packaging/install-deps.sh build test
cmake --preset asan
cmake --build --preset asan
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
ctest --preset asan --parallel "$(nproc)" "$@"

# Fuzzing: the parsers that read what others wrote, each target for a bounded time on its seed
# corpus, after replaying every crash ever found (tests/fuzz/run.sh). A clang build of its own
# (build-fuzz/). ROLLSCOPE_FUZZ_SECONDS sets the wall time of it all; 0 skips it.
fuzz_seconds=${ROLLSCOPE_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
    cmake --preset fuzz
    cmake --build --preset fuzz
    tests/fuzz/run.sh --total "$fuzz_seconds"
fi
