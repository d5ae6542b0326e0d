#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# packaging/rollscope.1 and rollscope-sim.1: they render without a warning from groff or man, have
# the sections a manual page needs, and name every option the programs' --help lists, so a new
# option cannot be left out of the manual unnoticed.
set -euo pipefail
BUILD_DIR=${ROLLSCOPE_BUILD_DIR:?ROLLSCOPE_BUILD_DIR must point at the build tree}
here=$(cd "$(dirname "$0")" && pwd)
SOURCE_DIR=$(cd "$here/../../.." && pwd)
for tool in groff man; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (packaging/dependencies.txt lists it for tests)"
        exit 77
    fi
done
FAILURES=0
pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; FAILURES=$((FAILURES + 1)); }

# check_page PAGE PROGRAM: PAGE documents PROGRAM (a built binary).
check_page() {
    local page="$SOURCE_DIR/packaging/$1" program="$BUILD_DIR/bin/$2" name=$1 out section option
    [ -f "$page" ] || { fail "$name exists"; return; }
    out=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    if [ -z "$out" ]; then pass "$name: groff -ww has no warning"; else fail "$name: groff -ww: $out"; fi
    out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    if [ -z "$out" ]; then pass "$name: man --warnings has no warning"; else fail "$name: man --warnings: $out"; fi
    # The rendered text must say something (a page that renders to nothing also has no warning).
    local rendered
    rendered=$(MANWIDTH=80 man -E ascii -l "$page" 2>/dev/null | col -bx)
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        if grep -q "^$section\$" <<<"$rendered"; then pass "$name: section $section"; else fail "$name: section $section"; fi
    done
    if grep -q 'kubectl(1)' < <(sed -n '/^SEE ALSO$/,$p' <<<"$rendered"); then
        pass "$name: SEE ALSO kubectl(1)"
    else
        fail "$name: SEE ALSO kubectl(1)"
    fi
    # Options as the source spells them, escapes removed (rendering could hyphenate them).
    local source options
    source=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\%//g' -e 's/\\&//g' "$page")
    options=$(LANGUAGE=en LC_ALL=C.UTF-8 "$program" --help |
        grep -E '^ +-' | grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | tr -d ' ,' | sort -u) || true
    [ -n "$options" ] || { fail "$name: $2 --help lists options"; return; }
    for option in $options; do
        if grep -qE -- "(^|[^A-Za-z0-9-])$option([^A-Za-z0-9-]|\$)" <<<"$source"; then
            pass "$name: documents $option"
        else
            fail "$name: does not document $option (listed by $2 --help)"
        fi
    done
}

check_page rollscope.1 rollscope
check_page rollscope-sim.1 rollscope-sim

# The exit statuses rollscope itself states are in the page.
page="$SOURCE_DIR/packaging/rollscope.1"
for status in 0 1 2 64; do
    if grep -qx "\.B $status" < <(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$page"); then
        pass "rollscope.1: exit status $status"
    else
        fail "rollscope.1: exit status $status"
    fi
done
# ...and the seed demo it promises.
for example in 'rollscope --demo' 'rollout deployment/demo-dp' '--image demo=bebullish/demo:v2'; do
    if grep -qF -- "$example" < <(sed -e 's/\\-/-/g' "$page"); then
        pass "rollscope.1: example '$example'"
    else
        fail "rollscope.1: example '$example'"
    fi
done

if [ "$FAILURES" -ne 0 ]; then echo "$FAILURES assertion(s) failed"; exit 1; fi
echo "all assertions passed"
