#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rollscope-sim's scale scenario as kubectl sees it: the first Deployment rolls out through the
# controllers, the others are copies of its settled state (SettledCopier). Every copy must be a
# Deployment like any other: ready, its own pod names and addresses, its events, logs, traffic
# through a port-forward, and a rollout that replaces the copied pods. Also checks that the
# simulator started itself again with its heap on huge pages where the kernel offers them.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
need_jq
start_sim --scenario scale:30:3 --speed 10 --seed 5

# The process kubectl talks to is the one started (the restart keeps the process), with
# glibc.malloc.hugetlb in its environment exactly when the kernel gives huge pages on request.
tunables=$(tr '\0' '\n' <"/proc/$SIM_PID/environ" | sed -n 's/^GLIBC_TUNABLES=//p')
if grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    assert_eq "restarted with its heap on huge pages" "glibc.malloc.hugetlb=1" "$tunables"
else
    assert_eq "no restart without transparent huge pages on request" "" "$tunables"
fi

deployments=$(k get deployments -A -o json)
assert_eq "30 deployments" "30" "$(jq '.items | length' <<<"$deployments")"
assert_eq "every deployment ready, 3 of 3" "30" \
    "$(jq '[.items[] | select(.status.readyReplicas == 3 and .status.updatedReplicas == 3
        and .status.availableReplicas == 3 and .status.observedGeneration == .metadata.generation)]
        | length' <<<"$deployments")"
assert_eq "every deployment its own uid" "30" \
    "$(jq '[.items[].metadata.uid] | unique | length' <<<"$deployments")"

pods=$(k get pods -A -o json)
assert_eq "90 pods, running and ready" "90" \
    "$(jq '[.items[] | select(.status.phase == "Running"
        and (.status.containerStatuses | all(.ready)))] | length' <<<"$pods")"
assert_eq "every pod its own name" "90" "$(jq '[.items[].metadata.name] | unique | length' <<<"$pods")"
assert_eq "every pod its own address" "90" "$(jq '[.items[].status.podIP] | unique | length' <<<"$pods")"
assert_eq "every container its own ID" "90" \
    "$(jq '[.items[].status.containerStatuses[].containerID] | unique | length' <<<"$pods")"
assert_eq "each pod owned by its deployment's replica set, named after it" "90" \
    "$(jq '[.items[] | .metadata.ownerReferences[0].name as $rs | .metadata.labels.app as $app
        | select((.metadata.name | startswith($rs + "-")) and ($rs | startswith($app + "-")))]
        | length' <<<"$pods")"

# A copy: app-0017 in load-07.
ns=load-07
pod=$(k -n "$ns" get pods -l app=app-0017 -o jsonpath='{.items[0].metadata.name}')
events=$(k -n "$ns" get events --field-selector "involvedObject.name=$pod" -o json)
assert_eq "a copied pod's events" "Created Pulled Pulling Scheduled Started" \
    "$(jq -r '[.items[].reason] | unique | join(" ")' <<<"$events")"
check "logs of a copied pod" 0 'version v1' k -n "$ns" logs "$pod"

: >"$WORK/pf.out"
kubectl -n "$ns" port-forward "pod/$pod" 0:8080 >"$WORK/pf.out" 2>"$WORK/pf.err" &
pf=$!
forwarding() { grep -q '^Forwarding from 127.0.0.1:' "$WORK/pf.out"; }
if wait_until 30 forwarding; then
    port=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) -> .*/\1/p' "$WORK/pf.out")
    assert_eq "a copied pod answers through a port-forward" "$pod v1" \
        "$(curl -s -m 10 "http://127.0.0.1:$port/")"
else
    fail "port-forward to a copied pod"; cat "$WORK/pf.err"
fi
kill "$pf" 2>/dev/null || true
wait "$pf" 2>/dev/null || true

old=$(k -n "$ns" get pods -l app=app-0017 -o jsonpath='{.items[*].metadata.name}')
check "set image on a copy" 0 'image updated' \
    k -n "$ns" set image deployment/app-0017 app-0017=bebullish/demo:v2
check "the copy rolls out" 0 'successfully rolled out' \
    k -n "$ns" rollout status deployment/app-0017 --timeout=120s
gone() { [ -z "$(k -n "$ns" get pods -l app=app-0017 -o json |
    jq -r --arg old "$old" '.items[] | select(.metadata.name as $n | $old | split(" ") | index($n))
        | .metadata.name')" ]; }
if wait_until 60 gone; then pass "the copied pods were stopped and deleted"; else
    fail "the copied pods were stopped and deleted"; fi
assert_eq "3 new pods on v2" "3" \
    "$(k -n "$ns" get pods -l app=app-0017 -o json |
        jq '[.items[] | select(.spec.containers[0].image == "bebullish/demo:v2"
            and .status.phase == "Running")] | length')"
killed=$(k -n "$ns" get events --field-selector reason=Killing -o json |
    jq -r '[.items[].involvedObject.name] | sort | join(" ")')
assert_eq "each copied pod was killed" "$(tr ' ' '\n' <<<"$old" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$killed"
assert_eq "every address still unique" \
    "$(k get pods -A -o json | jq '.items | length')" \
    "$(k get pods -A -o json | jq '[.items[].status.podIP] | unique | length')"

finish
