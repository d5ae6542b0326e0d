#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Server-side apply with two field managers: an applier, then `kubectl set image` takes the image,
# so the next apply of another image conflicts (exit 1, the API server's message) until
# --force-conflicts; managedFields are served (hidden by kubectl unless --show-managed-fields),
# and fields the applier stops applying are removed.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
start_sim --seed 3

manifest() { # manifest IMAGE [extra container yaml]
    cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-demo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ssa-demo
  template:
    metadata:
      labels:
        app: ssa-demo
    spec:
      containers:
      - name: demo
        image: $1
${2:-}
YAML
}

manifest bebullish/demo:v1 "        env:
        - name: MODE
          value: fast" >"$WORK/v1-env.yaml"
manifest bebullish/demo:v1 >"$WORK/v1.yaml"
manifest bebullish/demo:v3 >"$WORK/v3.yaml"

out=$(k apply --server-side --field-manager a -f "$WORK/v1-env.yaml" 2>&1)
assert_eq "apply creates" "deployment.apps/ssa-demo serverside-applied" "$out"

k set image deployment/ssa-demo demo=bebullish/demo:v2 >/dev/null
with=$(k get deployment ssa-demo -o yaml --show-managed-fields)
assert_match "the applier is recorded" 'manager: a$' "$with"
assert_match "apply operation" 'operation: Apply' "$with"
assert_match "kubectl set image is recorded" 'manager: kubectl-set$' "$with"
assert_match "update operation" 'operation: Update' "$with"
assert_match "FieldsV1 format" 'k:\{"name":"demo"\}:' "$with"
without=$(k get deployment ssa-demo -o yaml)
assert_no_match "hidden by default" 'managedFields' "$without"

set +e
out=$(k apply --server-side --field-manager a -f "$WORK/v3.yaml" 2>&1)
rc=$?
set -e
assert_eq "conflict exits 1" 1 "$rc"
assert_match "conflict message" \
    'Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: \.spec\.template\.spec\.containers\[name="demo"\]\.image' \
    "$out"
assert_match "kubectl explains --force-conflicts" 'force-conflicts' "$out"
assert_eq "nothing written on conflict" "bebullish/demo:v2" \
    "$(k get deployment ssa-demo -o jsonpath='{.spec.template.spec.containers[0].image}')"

out=$(k apply --server-side --field-manager a --force-conflicts -f "$WORK/v3.yaml" 2>&1)
assert_eq "forced apply" "deployment.apps/ssa-demo serverside-applied" "$out"
assert_eq "forced image" "bebullish/demo:v3" \
    "$(k get deployment ssa-demo -o jsonpath='{.spec.template.spec.containers[0].image}')"
assert_eq "omitted env removed" "" \
    "$(k get deployment ssa-demo -o jsonpath='{.spec.template.spec.containers[0].env}')"
managers=$(k get deployment ssa-demo -o jsonpath='{range .metadata.managedFields[*]}{.manager}/{.operation}{"\n"}{end}')
assert_match "the applier owns the image now" '^a/Apply$' "$managers"
assert_no_match "kubectl-set lost its only field" 'kubectl-set' "$managers"

out=$(k apply --server-side --field-manager a -f "$WORK/v1.yaml" 2>&1)
assert_eq "reapply without conflict" "deployment.apps/ssa-demo serverside-applied" "$out"
finish
