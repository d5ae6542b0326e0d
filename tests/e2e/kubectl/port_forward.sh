#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kubectl port-forward and kubectl exec against rollscope-sim's demo cluster (the kubelet's
# streaming, simulator/podstreams.h).
# port-forward: to a pod and to svc/demo-service, over the WebSocket tunnel kubectl tries first
# and over plain SPDY (KUBECTL_PORT_FORWARD_WEBSOCKETS=false); curl on fresh connections gets
# the pod's own answer ("POD VERSION", as Service traffic gets it) and the pod logs each request;
# a port the app does not listen on gets containerd's "connection refused" and kubectl gives up.
# exec: the demo image is distroless, so any command fails as runc fails it, over WebSocket and
# over SPDY (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false); the API server's refusals; a viewer is
# forbidden both.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
start_sim --scenario demo --seed 7

out=$(k rollout status deployment/demo-dp --timeout=90s 2>&1)
assert_match "demo-dp rolled out" 'successfully rolled out' "$out"
POD=$(k get pods -l app=demo -o jsonpath='{.items[0].metadata.name}')
image=$(k get pod "$POD" -o jsonpath='{.spec.containers[0].image}')
VERSION=${image##*:}
VERSION=${VERSION%%-*}

# start_pf NAME ARGS...: starts `kubectl port-forward ARGS` in the background; sets PF_PID and
# PF_PORT (the local port it chose, from its "Forwarding from" line).
PF_PID=""
PF_PORT=""
forwarding() { grep -q '^Forwarding from 127.0.0.1:' "$WORK/pf.out"; }
start_pf() {
    : >"$WORK/pf.out"
    : >"$WORK/pf.err"
    kubectl "$@" >"$WORK/pf.out" 2>"$WORK/pf.err" &
    PF_PID=$!
    if ! wait_until 30 forwarding; then
        fail "port-forward $* started"; cat "$WORK/pf.err"; PF_PORT=0; return
    fi
    PF_PORT=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) -> .*/\1/p' "$WORK/pf.out")
}
stop_pf() {
    kill "$PF_PID" 2>/dev/null || true
    wait "$PF_PID" 2>/dev/null || true
}

for mode in websocket spdy; do
    method=GET # the WebSocket upgrade
    if [ "$mode" = spdy ]; then export KUBECTL_PORT_FORWARD_WEBSOCKETS=false; method=POST; fi

    start_pf port-forward -v=6 "pod/$POD" 0:8080
    assert_match "$mode: the upgrade kubectl used" \
        "\] $method https://[^ ]+/api/v1/namespaces/default/pods/$POD/portforward 101 Switching Protocols" \
        "$(cat "$WORK/pf.err")"
    assert_match "$mode: port-forward pod announces its ports" \
        "^Forwarding from 127\.0\.0\.1:[0-9]+ -> 8080$" "$(head -n 1 "$WORK/pf.out")"
    for i in 1 2 3 4; do
        answer=$(curl -s -m 10 "http://127.0.0.1:$PF_PORT/pf-$mode-$i") || answer="curl failed"
        assert_eq "$mode: curl $i through the forward gets the pod's answer" "$POD $VERSION" "$answer"
    done
    head=$(curl -s -i -m 10 "http://127.0.0.1:$PF_PORT/head-$mode" | head -n 1 | tr -d '\r')
    assert_eq "$mode: the app's status line" "HTTP/1.1 200 OK" "$head"
    # Two requests on one kept-alive connection.
    both=$(curl -s -m 10 "http://127.0.0.1:$PF_PORT/a" "http://127.0.0.1:$PF_PORT/b")
    assert_eq "$mode: keep-alive connection" "$POD $VERSION"$'\n'"$POD $VERSION" "$both"
    if kill -0 "$PF_PID" 2>/dev/null; then pass "$mode: port-forward still running"; else
        fail "$mode: port-forward still running"; cat "$WORK/pf.err"; fi
    assert_eq "$mode: 'Handling connection' once per connection" "6" \
        "$(grep -c "^Handling connection for $PF_PORT\$" "$WORK/pf.out")"
    stop_pf
    logs=$(k logs "$POD")
    assert_match "$mode: the pod logged the forwarded requests" \
        "\"GET /pf-$mode-4 HTTP/1.1\" 200" "$logs"

    # The Service: kubectl picks one of its pods and forwards to its targetPort.
    start_pf port-forward svc/demo-service 0:80
    assert_match "$mode: port-forward svc maps to the targetPort" \
        "^Forwarding from 127\.0\.0\.1:[0-9]+ -> 8080$" "$(head -n 1 "$WORK/pf.out")"
    answers=""
    for i in 1 2 3; do
        answers+=$(curl -s -m 10 "http://127.0.0.1:$PF_PORT/svc-$i" || echo "curl failed")$'\n'
    done
    assert_eq "$mode: svc/demo-service: every answer from the one pod kubectl picked" "1" \
        "$(sort -u <<<"${answers%$'\n'}" | wc -l)"
    assert_match "$mode: svc/demo-service answers as a demo pod" \
        "^demo-dp-[a-z0-9]+-[a-z0-9]+ $VERSION\$" "$(head -n 1 <<<"$answers")"
    stop_pf

    # A port nothing listens on: the connection is refused inside the pod; kubectl gives up.
    start_pf port-forward "pod/$POD" 0:9999
    # kubectl closes the local connection: curl sees an empty reply (52), or a reset (56) when
    # kubectl had not read the request yet (as against a real cluster).
    run_rc got curl -s -m 10 "http://127.0.0.1:$PF_PORT/"
    assert_match "$mode: curl to a refused port gets no answer" "^(52|56)\$" "$RC"
    pf_rc=0
    wait "$PF_PID" 2>/dev/null || pf_rc=$?
    assert_eq "$mode: port-forward exits after the refusal" "1" "$pf_rc"
    err=$(cat "$WORK/pf.err")
    assert_match "$mode: containerd's refusal" \
        "an error occurred forwarding $PF_PORT -> 9999: error forwarding port 9999 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \\\\\"/var/run/netns/cni-[0-9a-f-]{36}\\\\\": failed to connect to localhost:9999 inside namespace \\\\\"[0-9a-f]{64}\\\\\", IPv4: dial tcp4 127\.0\.0\.1:9999: connect: connection refused" \
        "$err"
    assert_match "$mode: kubectl's last word" "^error: lost connection to pod$" "$(tail -n 1 <<<"$err")"
    unset KUBECTL_PORT_FORWARD_WEBSOCKETS
done

# exec: the runtime's answer for a distroless container, exit code 1.
notfound() { # notfound WHY: kubectl's line for a failed exec, with the exec id masked
    printf 'error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "ID": OCI runtime exec failed: exec failed: unable to start container process: %s: unknown' "$1"
}
mask_id() { sed -E 's/failed to start exec "[0-9a-f]{64}"/failed to start exec "ID"/' <<<"$1"; }
for mode in websocket spdy; do
    if [ "$mode" = spdy ]; then export KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false; fi
    run_rc got k exec "$POD" -- ls -l
    assert_eq "$mode: exec ls exit code" "1" "$RC"
    assert_eq "$mode: exec ls output" "$(notfound 'exec: "ls": executable file not found in $PATH')" "$(mask_id "$got")"
    run_rc got k exec -i "$POD" -- /bin/sh -c 'echo hi' </dev/null
    assert_eq "$mode: exec -i /bin/sh exit code" "1" "$RC"
    assert_eq "$mode: exec -i /bin/sh output" "$(notfound 'exec: "/bin/sh": stat /bin/sh: no such file or directory')" "$(mask_id "$got")"
    # -it on a terminal (script(1) gives kubectl one): the resize stream too, and nothing else said.
    run_rc got script -qec "kubectl exec -it $POD -- sh" /dev/null </dev/null
    assert_eq "$mode: exec -it sh exit code" "1" "$RC"
    assert_eq "$mode: exec -it sh output" "$(notfound 'exec: "sh": executable file not found in $PATH')" "$(mask_id "$(tr -d '\r' <<<"$got")")"
    unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS
done
run_rc got k exec -c nope "$POD" -- ls
assert_eq "exec -c nope exit code" "1" "$RC"
assert_eq "exec -c nope output" "Error from server (BadRequest): container nope is not valid for pod $POD" "$got"
run_rc got k exec missing-pod -- ls
assert_eq "exec on a missing pod" 'Error from server (NotFound): pods "missing-pod" not found' "$got"
run_rc got k --context rollscope-sim-viewer exec "$POD" -- ls
assert_eq "exec as viewer" "Error from server (Forbidden): pods \"$POD\" is forbidden: User \"viewer\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"default\"" "$got"
run_rc got k --context rollscope-sim-viewer port-forward "pod/$POD" 0:8080
assert_eq "port-forward as viewer exit code" "1" "$RC"
assert_eq "port-forward as viewer" "error: error upgrading connection: pods \"$POD\" is forbidden: User \"viewer\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"default\"" "$got"

out=$(k get pod "$POD" -o jsonpath='{.status.phase}')
assert_eq "the simulator still serves" "Running" "$out"
finish
