#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seed guide's whole experiment with real kubectl against rollscope-sim: apply the manifests
# as written, look at them, roll to v2, watch it, roll back, pause/resume/restart, scale, delete.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
start_sim --scenario empty --speed 4 --seed 7

# The manifests as the guide writes them, from resources/manifests/ (what the README offers).
manifests="$here/../../../resources/manifests"
cp "$manifests/demo-deployment.yaml" "$WORK/deployment.yaml"
cp "$manifests/demo-service.yaml" "$WORK/service.yaml"

out=$(k apply -f "$WORK/deployment.yaml" 2>&1)
assert_eq "apply deployment" "deployment.apps/demo-dp created" "$out"
out=$(k apply -f "$WORK/service.yaml" 2>&1)
assert_eq "apply service" "service/demo-service created" "$out"
out=$(k apply -f "$WORK/deployment.yaml" 2>&1)
assert_eq "re-apply is unchanged" "deployment.apps/demo-dp unchanged" "$out"

out=$(k rollout status deployment/demo-dp --timeout=60s 2>&1)
assert_match "initial rollout completes" 'deployment "demo-dp" successfully rolled out' "$out"

out=$(k get deploy 2>&1)
assert_match "get deploy header" '^NAME +READY +UP-TO-DATE +AVAILABLE +AGE' "$out"
assert_match "get deploy row" 'demo-dp +3/3 +3 +3 ' "$out"
out=$(k get deploy -o wide 2>&1)
assert_match "get deploy -o wide" 'demo-dp +3/3 +3 +3 +[0-9smh]+ +demo +bebullish/demo:v1 +app=demo' "$out"
out=$(k get pods 2>&1)
assert_match "get pods header" '^NAME +READY +STATUS +RESTARTS +AGE' "$out"
assert_eq "three running pods" "3" "$(printf '%s\n' "$out" | grep -Ec 'demo-dp-[a-z0-9]+-[a-z0-9]{5} +1/1 +Running +0 ')"
out=$(k get rs 2>&1)
assert_match "get rs" 'demo-dp-[a-z0-9]+ +3 +3 +3 ' "$out"
out=$(k get svc 2>&1)
assert_match "get svc header" '^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE' "$out"
assert_match "get svc row" 'demo-service +LoadBalancer +10\.96\.[0-9.]+ +[0-9.<>a-z]+ +80:3[0-9]{4}/TCP' "$out"
out=$(k get events 2>&1)
assert_match "get events header" '^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE' "$out"
assert_match "scaling event" 'ScalingReplicaSet +deployment/demo-dp +Scaled up replica set demo-dp-[a-z0-9]+ to 3' "$out"
assert_match "pod events" 'Started +pod/demo-dp-' "$out"

# Where to curl, as the guide says: the EXTERNAL-IP, else the nodePort on a node address.
ip=$(k get svc demo-service -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
if [ -n "$ip" ]; then url="http://$ip/"; else
    url="http://127.0.0.1:$(k get svc demo-service -o jsonpath='{.spec.ports[0].nodePort}')/"
fi
answer=$(curl -s -m 5 "$url")
assert_match "curl answers with pod name and version" '^demo-dp-[a-z0-9]+-[a-z0-9]{5} v1$' "$answer"

# Watch pods through the rollout, and curl in a loop as the guide does.
k get pods -w >"$WORK/watch.out" 2>&1 &
watch_pid=$!
( while [ ! -f "$WORK/stop" ]; do curl -s -m 2 "$url" || echo FAILED; done ) >"$WORK/curl.out" &
curl_pid=$!

out=$(k set image deployment demo-dp demo=bebullish/demo:v2 2>&1)
assert_eq "set image" "deployment.apps/demo-dp image updated" "$out"
out=$(k rollout status deployment/demo-dp --timeout=90s 2>&1)
assert_match "rollout status progresses" 'Waiting for deployment "demo-dp" rollout to finish' "$out"
assert_match "rollout status completes" 'deployment "demo-dp" successfully rolled out' "$out"
# Keep curling until only v2 answers have been seen a few times, then stop.
for _ in $(seq 1 200); do
    [ "$(tail -n 5 "$WORK/curl.out" | grep -c ' v2$')" -eq 5 ] && break
    sleep 0.1 # the loop above is another process; this only paces the check
done
touch "$WORK/stop"; wait "$curl_pid" || true
kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true

curl_lines=$(cat "$WORK/curl.out")
assert_no_match "no failed request during the 25%/25% rollout" 'FAILED' "$curl_lines"
first_v2=$(grep -n ' v2$' "$WORK/curl.out" | head -n1 | cut -d: -f1)
last_v1=$(grep -n ' v1$' "$WORK/curl.out" | tail -n1 | cut -d: -f1)
assert_match "v1 answers first" ' v1$' "$(head -n1 "$WORK/curl.out")"
if [ -n "$first_v2" ] && [ -n "$last_v1" ] && [ "$first_v2" -lt "$last_v1" ]; then
    pass "v1 and v2 answer side by side during the rollout"
else fail "v1 and v2 answer side by side during the rollout"; fi
assert_match "only v2 at the end" ' v2$' "$(tail -n1 "$WORK/curl.out")"

watch=$(cat "$WORK/watch.out")
assert_match "watch shows new pods pending" 'demo-dp-[a-z0-9]+-[a-z0-9]{5} +0/1 +(Pending|ContainerCreating)' "$watch"
assert_match "watch shows pods becoming ready" 'demo-dp-[a-z0-9]+-[a-z0-9]{5} +1/1 +Running' "$watch"
assert_match "watch shows old pods terminating" 'demo-dp-[a-z0-9]+-[a-z0-9]{5} +[01]/1 +Terminating' "$watch"

out=$(k rollout history deployment/demo-dp 2>&1)
assert_match "history has two revisions" $'REVISION +CHANGE-CAUSE\n1 +<none>\n2 +<none>' "$out"

out=$(k rollout undo deployment/demo-dp 2>&1)
assert_eq "undo" "deployment.apps/demo-dp rolled back" "$out"
k rollout status deployment/demo-dp --timeout=90s >/dev/null 2>&1
image=$(k get deploy demo-dp -o jsonpath='{.spec.template.spec.containers[0].image}')
assert_eq "undo returns to v1" "bebullish/demo:v1" "$image"
out=$(k rollout history deployment/demo-dp 2>&1)
assert_match "revisions are renumbered, never reused" $'REVISION +CHANGE-CAUSE\n2 +<none>\n3 +<none>' "$out"

assert_eq "pause" "deployment.apps/demo-dp paused" "$(k rollout pause deployment/demo-dp 2>&1)"
assert_match "pause twice" 'already paused' "$(k rollout pause deployment/demo-dp 2>&1 || true)"
assert_match "no restart while paused" "can't restart paused deployment" "$(k rollout restart deployment/demo-dp 2>&1 || true)"
assert_eq "resume" "deployment.apps/demo-dp resumed" "$(k rollout resume deployment/demo-dp 2>&1)"
assert_eq "restart" "deployment.apps/demo-dp restarted" "$(k rollout restart deployment/demo-dp 2>&1)"
out=$(k rollout status deployment/demo-dp --timeout=90s 2>&1)
assert_match "restart rolls out" 'successfully rolled out' "$out"

assert_eq "scale" "deployment.apps/demo-dp scaled" "$(k scale deployment demo-dp --replicas=5 2>&1)"
k rollout status deployment/demo-dp --timeout=60s >/dev/null 2>&1
assert_eq "scaled to five ready" "5" "$(k get deploy demo-dp -o jsonpath='{.status.readyReplicas}')"

out=$(k set image deployment demo-dp nosuch=bebullish/demo:v2 2>&1 || true)
assert_match "unknown container is refused by kubectl" 'unable to find container named "nosuch"' "$out"

# Validation the API server does: both 0 is refused with a 422 naming the field.
out=$(k patch deployment demo-dp --type=merge -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}}' 2>&1 || true)
assert_match "maxSurge and maxUnavailable both 0 is invalid" 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: .*may not be 0 when `maxSurge` is 0' "$out"

# The read-only identity cannot write.
out=$(k --context rollscope-sim-viewer scale deployment demo-dp --replicas=1 2>&1 || true)
assert_match "viewer gets 403 in the API server's words" 'User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"' "$out"
out=$(k --context rollscope-sim-token get deploy demo-dp 2>&1)
assert_match "token context reads" 'demo-dp' "$out"

out=$(k delete deployment demo-dp 2>&1)
assert_eq "delete" 'deployment.apps "demo-dp" deleted' "$out"
out=$(k get deploy demo-dp 2>&1 || true)
assert_match "gone" 'NotFound' "$out"
out=$(k get rs -o name 2>&1)
assert_eq "replica sets garbage-collected" "" "$out"

finish
