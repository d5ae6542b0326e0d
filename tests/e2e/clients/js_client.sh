#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The official JavaScript client (@kubernetes/client-node, pinned by package.json and
# package-lock.json) against rollscope-sim; the checks are in js_client.mjs. The client is
# installed with `npm ci` into the build tree (never committed). Skipped (77) only when Node.js
# and npm are missing or the npm registry cannot be reached.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../kubectl/lib.sh"
NODE_DIR="$BUILD_DIR/tests/e2e/clients/node"
CLIENT_JSON="$NODE_DIR/node_modules/@kubernetes/client-node/package.json"
want=$(sed -n 's/.*"@kubernetes\/client-node": *"\([^"]*\)".*/\1/p' "$here/package.json")

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: Node.js and npm are needed to install @kubernetes/client-node@$want"
    exit 77
fi
installed() {
    [ -f "$CLIENT_JSON" ] && cmp -s "$here/package-lock.json" "$NODE_DIR/package-lock.json" &&
        [ "$(node -p "require('$CLIENT_JSON').version")" == "$want" ]
}
if ! installed; then
    if ! timeout 60 npm view "@kubernetes/client-node@$want" version >"$WORK/npm-view.out" 2>&1; then
        echo "SKIP: the npm registry is unreachable, so @kubernetes/client-node@$want cannot be installed:"
        sed 's/^/      /' "$WORK/npm-view.out" | head -n 5
        exit 77
    fi
    rm -rf "$NODE_DIR"
    mkdir -p "$NODE_DIR"
    cp "$here/package.json" "$here/package-lock.json" "$NODE_DIR/"
    if ! (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error); then
        echo "npm ci failed in $NODE_DIR"
        exit 1
    fi
fi
echo "node $(node --version), @kubernetes/client-node $(node -p "require('$CLIENT_JSON').version")"
# An ES module resolves its imports from where it lives: run a copy beside node_modules.
cp "$here/js_client.mjs" "$NODE_DIR/js_client.mjs"
# --speed 5: rollouts take seconds; every wait in the checks is a poll with a deadline.
start_sim --scenario demo --speed 5 --seed 12
node "$NODE_DIR/js_client.mjs" || FAILURES=$((FAILURES + 1))
assert_no_match "no sanitizer report" 'AddressSanitizer|LeakSanitizer|runtime error' "$(cat "$WORK/sim.err")"
finish
