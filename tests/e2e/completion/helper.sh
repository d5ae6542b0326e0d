#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `rollscope __complete`: the hidden helper behind the shell completion, against rollscope-sim.
# Contexts come from the kubeconfig, namespaces and deployments from the API; anything that goes
# wrong prints nothing, exits 0 and ends within a few seconds; exec plugins that need a terminal
# never run; no credential is ever printed.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
start_sim --scenario demo --seed 7
K="$KUBECONFIG"
unset KUBECONFIG # every call names its kubeconfig unless it tests the variable

# helper NAME EXPECTED ARGS...: the helper's stdout, exit status 0 and no stderr.
helper() {
    local name=$1 expected=$2; shift 2
    run_timed "$ROLLSCOPE" __complete "$@"
    assert_eq "$name: output" "$expected" "$OUT"
    assert_eq "$name: exit status" 0 "$RC"
    assert_eq "$name: stderr" "" "$ERR"
}

helper "contexts" "$(lines rollscope-sim rollscope-sim-token rollscope-sim-viewer)" \
    contexts --kubeconfig "$K"
helper "contexts, --kubeconfig=F" "$(lines rollscope-sim rollscope-sim-token rollscope-sim-viewer)" \
    contexts "--kubeconfig=$K"
helper "namespaces" "$(lines default kube-node-lease kube-public kube-system monitoring shop)" \
    namespaces --kubeconfig "$K"
helper "deployments -n default" "demo-dp" deployments --kubeconfig "$K" -n default
helper "deployments, the context's namespace" "demo-dp" deployments --kubeconfig "$K"
helper "deployments -n shop" "$(lines cart checkout frontend)" deployments --kubeconfig "$K" -n shop
helper "deployments --namespace=monitoring --context viewer" "$(lines grafana prometheus)" \
    deployments --kubeconfig "$K" --namespace=monitoring --context rollscope-sim-viewer
helper "deployments -nshop, token context" "$(lines cart checkout frontend)" \
    deployments --kubeconfig "$K" -nshop --context rollscope-sim-token
helper "deployments of a namespace without any" "" deployments --kubeconfig "$K" -n kube-public
helper "languages" "$(lines en zh_CN)" languages
KUBECONFIG="$K" helper "contexts from \$KUBECONFIG" \
    "$(lines rollscope-sim rollscope-sim-token rollscope-sim-viewer)" contexts
KUBECONFIG="$K" helper "namespaces from \$KUBECONFIG" \
    "$(lines default kube-node-lease kube-public kube-system monitoring shop)" namespaces

# The helper's own usage errors are the only thing it says.
run_timed "$ROLLSCOPE" __complete pods --kubeconfig "$K"
assert_eq "unknown subject: exit status 64" 64 "$RC"
assert_eq "unknown subject: no candidates" "" "$OUT"
assert_match "unknown subject: usage on stderr" '__complete contexts\|namespaces\|deployments' "$ERR"
run_timed "$ROLLSCOPE" __complete
assert_eq "no subject: exit status 64" 64 "$RC"

# Nothing to offer: empty, exit 0, quickly, silently.
quiet() {
    local name=$1; shift
    run_timed "$ROLLSCOPE" __complete "$@"
    assert_eq "$name: no output" "" "$OUT"
    assert_eq "$name: exit status 0" 0 "$RC"
    assert_eq "$name: nothing on stderr" "" "$ERR"
    if [ "$MS" -le 5000 ]; then pass "$name: within 5 s (${MS} ms)"; else fail "$name: took ${MS} ms"; fi
}
printf 'clusters: [\n  - name: x\n' >"$WORK/broken.yaml"
quiet "contexts of a broken kubeconfig" contexts --kubeconfig "$WORK/broken.yaml"
quiet "namespaces of a broken kubeconfig" namespaces --kubeconfig "$WORK/broken.yaml"
quiet "contexts of a missing kubeconfig" contexts --kubeconfig "$WORK/missing.yaml"
quiet "deployments of an unknown context" deployments --kubeconfig "$K" --context nope
HOME="$WORK/empty-home" quiet "no kubeconfig at all" namespaces
quiet "kubeconfig from stdin is not read" contexts --kubeconfig /dev/stdin

# A server that refuses: the same kubeconfig pointed at a closed port.
sed -E 's#server: https://[^ ]+#server: https://127.0.0.1:1#' "$K" >"$WORK/refused.yaml"
quiet "namespaces, connection refused" namespaces --kubeconfig "$WORK/refused.yaml"
# A server that accepts connections but never answers: the simulator, stopped.
# (A stopped simulator would not end on cleanup's SIGTERM: continue it first, whatever happens.)
trap 'kill -CONT "$SIM_PID" 2>/dev/null || true; cleanup' EXIT
kill -STOP "$SIM_PID"
quiet "namespaces, server not answering" namespaces --kubeconfig "$K"
quiet "deployments, server not answering" deployments --kubeconfig "$K" -n default
kill -CONT "$SIM_PID"
helper "namespaces after the server came back" \
    "$(lines default kube-node-lease kube-public kube-system monitoring shop)" \
    namespaces --kubeconfig "$K"

# Exec credential plugins: one that needs a terminal never runs; one that does not runs
# without a terminal and its token works.
token=$(sed -n '/name: rollscope-sim-token/,/token:/s/^ *token: *//p' "$K" | tail -n 1)
[ -n "$token" ] || { echo "no token in the simulator's kubeconfig"; exit 1; }
cat >"$WORK/plugin.sh" <<PLUGIN
#!/usr/bin/env bash
echo ran >>"$WORK/plugin.ran"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "$token"
PLUGIN
chmod +x "$WORK/plugin.sh"
exec_kubeconfig() { # MODE
    sed -n '1,/^users:/p' "$K" | sed 's/current-context: .*/current-context: rollscope-sim-token/'
    cat <<YAML
- name: rollscope-sim-token
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $WORK/plugin.sh
      interactiveMode: $1
YAML
}
exec_kubeconfig Always >"$WORK/exec-always.yaml"
exec_kubeconfig Never >"$WORK/exec-never.yaml"
quiet "exec plugin with interactiveMode Always" namespaces --kubeconfig "$WORK/exec-always.yaml"
if [ -e "$WORK/plugin.ran" ]; then fail "the interactive plugin did not run"; else pass "the interactive plugin did not run"; fi
helper "exec plugin with interactiveMode Never" \
    "$(lines default kube-node-lease kube-public kube-system monitoring shop)" \
    namespaces --kubeconfig "$WORK/exec-never.yaml"
if [ -e "$WORK/plugin.ran" ]; then pass "the non-interactive plugin ran"; else fail "the non-interactive plugin ran"; fi

# No credential reaches the output, whatever the subject.
all=""
for subject in contexts namespaces deployments; do
    for context in rollscope-sim rollscope-sim-token rollscope-sim-viewer; do
        run_timed "$ROLLSCOPE" __complete "$subject" --kubeconfig "$K" --context "$context" -v 9
        all+="$OUT$ERR"
    done
done
assert_no_match "no token in any output" "$token" "$all"

finish
