#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The package carries the manual pages and the bash completion: `cmake --install` of the build
# puts them where man and bash-completion look (share/man/man1, share/bash-completion/completions)
# and they work from there.
set -euo pipefail
BUILD_DIR=${ROLLSCOPE_BUILD_DIR:?ROLLSCOPE_BUILD_DIR must point at the build tree}
here=$(cd "$(dirname "$0")" && pwd)
SOURCE_DIR=$(cd "$here/../../.." && pwd)
if ! command -v man >/dev/null 2>&1; then
    echo "SKIP: man is not installed (packaging/dependencies.txt lists it for tests)"
    exit 77
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rollscope-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; FAILURES=$((FAILURES + 1)); }

prefix="$WORK/prefix"
if ! cmake --install "$BUILD_DIR" --prefix "$prefix" >"$WORK/install.log" 2>&1; then
    cat "$WORK/install.log"
    echo "cmake --install failed"
    exit 1
fi

for name in rollscope rollscope-sim; do
    page=""
    for candidate in "$prefix/share/man/man1/$name.1.gz" "$prefix/share/man/man1/$name.1"; do
        [ -f "$candidate" ] && page=$candidate && break
    done
    if [ -z "$page" ]; then fail "$name(1) installed in share/man/man1"; continue; fi
    pass "$name(1) installed as ${page#"$prefix/"}"
    if [[ $page == *.gz ]]; then
        if gzip -dc "$page" | cmp -s - "$SOURCE_DIR/packaging/$name.1"; then
            pass "$name(1): the page of the source tree, compressed"
        else
            fail "$name(1): the page of the source tree, compressed"
        fi
    fi
    # man finds it by name through the prefix, as it would under /usr.
    rendered=$(MANPATH="$prefix/share/man" MANWIDTH=80 man -E ascii "$name" 2>&1 | col -bx) || true
    if grep -qE "^ *$name +- " <<<"$rendered"; then pass "man $name"; else fail "man $name: $rendered"; fi
done

completion="$prefix/share/bash-completion/completions/rollscope"
if [ -f "$completion" ]; then
    pass "completion installed as share/bash-completion/completions/rollscope"
    spec=$(bash -c 'source "$1" && complete -p rollscope' bash "$completion" 2>&1) || true
    if [[ $spec == "complete -F "*" rollscope" ]]; then pass "it registers: $spec"; else fail "it registers: $spec"; fi
else
    fail "completion installed as share/bash-completion/completions/rollscope"
fi

if [ "$FAILURES" -ne 0 ]; then echo "$FAILURES assertion(s) failed"; exit 1; fi
echo "all assertions passed"
