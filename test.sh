#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer + UBSan (warnings are errors) into
# build-asan/ and runs the whole suite headless. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

packaging/install-deps.sh build test
cmake --preset asan
cmake --build --preset asan
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
ctest --preset asan --parallel "$(nproc)" "$@"
