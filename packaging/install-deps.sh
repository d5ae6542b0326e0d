#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages listed in packaging/dependencies.txt that are missing.
# Usage: packaging/install-deps.sh [build] [test]     (default: build)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
purposes=("$@")
[ ${#purposes[@]} -gt 0 ] || purposes=(build)

wanted=()
while read -r pkg purpose _; do
    case "$pkg" in ''|'#'*) continue ;; esac
    for p in "${purposes[@]}"; do
        [ "$purpose" = "$p" ] && wanted+=("$pkg")
    done
done < "$here/dependencies.txt"

missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Rollscope needs these packages, and apt-get is not available to install them:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "Install their equivalents with your system's package manager, then run this again." >&2
    exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "Installing ${missing[*]} needs root, and sudo is not available." >&2
        exit 1
    fi
    sudo=(sudo)
fi

echo "Installing missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Refresh the index once if it has never been fetched (fresh machines and containers).
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -print -quit 2>/dev/null)" ]; then
    "${sudo[@]}" apt-get update -q
fi
if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
