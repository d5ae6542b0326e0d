#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds Rollscope (Release, ninja) into build/ and starts it.
# Extra arguments go to rollscope, e.g. ./run.sh --kubeconfig ~/.kube/config --context prod
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

packaging/install-deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release
exec build/bin/rollscope "$@"
