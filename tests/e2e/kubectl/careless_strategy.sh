#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The guide's warning case: maxUnavailable 100%, maxSurge 0 takes every pod down at once, and
# requests fail while no pod is ready.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
start_sim --scenario demo --speed 2 --seed 11

k rollout status deployment/demo-dp --timeout=60s >/dev/null
k patch deployment demo-dp --type=merge \
    -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":"100%"}}}}' >/dev/null
k rollout status deployment/demo-dp --timeout=60s >/dev/null
port=$(k get svc demo-service -o jsonpath='{.spec.ports[0].nodePort}')
url="http://127.0.0.1:$port/"
assert_match "serving before" ' v1$' "$(curl -s -m 5 "$url")"

( while [ ! -f "$WORK/stop" ]; do curl -s -m 2 "$url" || echo "FAILED $?"; done ) >"$WORK/curl.out" &
curl_pid=$!
k set image deployment demo-dp demo=bebullish/demo:v2 >/dev/null
k rollout status deployment/demo-dp --timeout=90s >/dev/null
for _ in $(seq 1 200); do
    [ "$(tail -n 5 "$WORK/curl.out" | grep -c ' v2$')" -eq 5 ] && break
    sleep 0.1
done
touch "$WORK/stop"; wait "$curl_pid" || true

assert_match "requests fail while no pod is ready" 'FAILED' "$(cat "$WORK/curl.out")"
# curl exit 7: connection refused (no endpoint: the port refuses) or 56: reset by peer.
assert_match "failures are refused connections" 'FAILED (7|56)' "$(cat "$WORK/curl.out")"
assert_match "v2 serves afterwards" ' v2$' "$(tail -n1 "$WORK/curl.out")"
finish
