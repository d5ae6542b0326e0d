#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every kubectl read verb a user would try on rollscope-sim's demo cluster: get (every resource,
# every output format, -A, selectors, --watch), describe, rollout status/history, top, api-resources,
# api-versions, version, cluster-info, events, get --raw; each for its exit status and its content.
# The simulator must still be alive and serving at the end.
#
# Checks of behaviour the simulator does not have yet are in the KNOWN GAPS section at the end,
# run only with ROLLSCOPE_E2E_KNOWN_GAPS=1 (off by default, so the default run is green on what
# works today).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
need_jq
# --speed 1: the simulated clock stays the wall clock, so kubectl's own ages (describe) agree.
start_sim --scenario demo --speed 1 --seed 3

# assert_seq NAME TEXT REGEX...: consecutive lines of TEXT match the REGEXes, in order.
# (assert_match gives grep one pattern per line of the regex: any line would do.)
assert_seq() {
    local name=$1 text=$2; shift 2
    local -a lines pats=("$@")
    local i j ok
    mapfile -t lines <<<"$text"
    for ((i = 0; i + ${#pats[@]} <= ${#lines[@]}; i++)); do
        ok=1
        for ((j = 0; j < ${#pats[@]}; j++)); do
            [[ ${lines[i + j]} =~ ${pats[j]} ]] || { ok=0; break; }
        done
        if [ "$ok" == 1 ]; then pass "$name"; return; fi
    done
    fail "$name"; printf '      lines in sequence: %s\n' "${pats[@]}"
    sed -n '1,40s/^/        /p' <<<"$text"
}
count_lines() { if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l; fi; }
# Output a Go program writes when it panics or a client-side bug shows.
GARBAGE_RE='panic:|goroutine [0-9]+|invalid memory address|<invalid>'

# The demo cluster settles: every Deployment available.
out=$(k rollout status deployment/demo-dp --timeout=90s 2>&1)
assert_match "demo-dp rolled out" 'successfully rolled out' "$out"
check "wait for every Deployment to be Available" 0 'deployment.apps/checkout condition met' \
    k wait --for=condition=Available deployment --all -A --timeout=90s
read -r -a pods <<<"$(k get pods -l app=demo -o jsonpath='{.items[*].metadata.name}')"
assert_eq "three demo pods" "3" "${#pods[@]}"
POD=${pods[0]}
RS=$(k get rs -l app=demo -o jsonpath='{.items[0].metadata.name}')
assert_match "the demo ReplicaSet" '^demo-dp-[a-z0-9]+$' "$RS"
pod_ips=$(k get pods -l app=demo -o jsonpath='{range .items[*]}{.status.podIP}{"\n"}{end}' | sort)
assert_eq "three pod IPs" "3" "$(count_lines "$(grep -E '^10\.244\.[0-9]+\.[0-9]+$' <<<"$pod_ips")")"

# ------------------------------------------------------------------------------------------------
# get, human-readable
check "get deploy" 0 '^NAME +READY +UP-TO-DATE +AVAILABLE +AGE$' k get deploy
assert_seq "get deploy: one row" "$out" '^NAME +READY' '^demo-dp +3/3 +3 +3 +[0-9]+[smh]$'
check "get deployments.apps demo-dp" 0 '^demo-dp +3/3' k get deployments.apps demo-dp
check "get deployments.v1.apps -o name" 0 '^deployment.apps/demo-dp$' k get deployments.v1.apps demo-dp -o name
check "get rs" 0 '^NAME +DESIRED +CURRENT +READY +AGE$' k get rs
assert_seq "get rs: one row" "$out" '^NAME ' "^$RS +3 +3 +3 +[0-9]+[smh]\$"
check "get pods header" 0 '^NAME +READY +STATUS +RESTARTS +AGE$' k get pods
assert_eq "get pods: three running" "3" "$(grep -Ec '^demo-dp-[a-z0-9]+-[a-z0-9]{5} +1/1 +Running +0 ' <<<"$out" || true)"
check "get po (short name)" 0 "^$POD +1/1 +Running" k get po "$POD"
check "get svc" 0 '^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE$' k get svc
assert_match "get svc: the LoadBalancer" '^demo-service +LoadBalancer +10\.96\.[0-9.]+ +(127\.0\.1\.[0-9]+|<pending>) +80:3[0-9]{4}/TCP +[0-9]+[smh]$' "$out"
check "get endpoints" 0 '^demo-service +10\.244\.[0-9.]+:8080,10\.244\.[0-9.]+:8080,10\.244\.[0-9.]+:8080 ' k get endpoints
ep_ips=$(k get endpoints demo-service -o jsonpath='{range .subsets[*].addresses[*]}{.ip}{"\n"}{end}' | sort)
assert_eq "endpoints are the pod IPs" "$pod_ips" "$ep_ips"
check "get ep -n shop" 0 '^checkout +10\.244\.[0-9.]+:8080,.* \+ 1 more\.\.\.' k get ep -n shop
check "get endpointslices" 0 '^NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE$' k get endpointslices
assert_match "get endpointslices: the service's" '^demo-service-[a-z0-9]{5} +IPv4 +8080 +10\.244\.[0-9.]+,10\.244\.[0-9.]+,10\.244\.[0-9.]+ ' "$out"
slice_ips=$(k get endpointslices -l kubernetes.io/service-name=demo-service \
    -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]}{"\n"}{end}' | sort)
assert_eq "endpointslice addresses are the pod IPs" "$pod_ips" "$slice_ips"
check "get events" 0 '^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$' k get events
assert_match "get events: the scale-up" 'Normal +ScalingReplicaSet +deployment/demo-dp +Scaled up replica set '"$RS"' to 3' "$out"
assert_match "get events: a pod started" "Normal +Started +pod/$POD +Started container demo" "$out"
check "get nodes" 0 '^NAME +STATUS +ROLES +AGE +VERSION$' k get nodes
assert_eq "get nodes: three ready" "3" "$(grep -Ec '^sim-node-[1-3] +Ready +<none> +[0-9]+[smh] +v1\.32\.[0-9]+$' <<<"$out" || true)"
check "get namespaces" 0 '^NAME +STATUS +AGE$' k get namespaces
for ns in default kube-system kube-public kube-node-lease shop monitoring; do
    assert_match "get namespaces: $ns" "^$ns +Active " "$out"
done
check "get all" 0 "^pod/$POD +1/1 +Running" k get all
assert_match "get all: the service" '^service/demo-service +LoadBalancer' "$out"
assert_match "get all: the deployment" '^deployment\.apps/demo-dp +3/3 +3 +3' "$out"
assert_match "get all: the replica set" "^replicaset\\.apps/$RS +3 +3 +3" "$out"
check "get all -A" 0 '^shop +deployment\.apps/checkout +4/4 +4 +4' k get all -A
assert_match "get all -A: monitoring" '^monitoring +pod/grafana-[a-z0-9]+-[a-z0-9]{5} +1/1 +Running' "$out"
check "get deploy,rs,pods,svc" 0 '^deployment\.apps/demo-dp ' k get deploy,rs,pods,svc
assert_match "get deploy,rs,pods,svc: pods too" "^pod/$POD " "$out"
check "get a missing deployment" 1 '^Error from server \(NotFound\): deployments\.apps "nosuch" not found' k get deploy nosuch
check "get an unknown resource type" 1 'the server doesn.t have a resource type "nosuchkind"' k get nosuchkind

# get, output formats
check "get deploy -o wide" 0 'demo-dp +3/3 +3 +3 +[0-9]+[smh] +demo +bebullish/demo:v1 +app=demo$' k get deploy -o wide
check "get pods -o wide header" 0 '^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES' k get pods -o wide
assert_match "get pods -o wide: IP and node" "^$POD +1/1 +Running +0 +[0-9]+[smh] +10\\.244\\.[0-9.]+ +sim-node-[1-3] +<none> +<none>" "$out"
check "get nodes -o wide" 0 '^sim-node-2 +Ready +<none> +[0-9]+[smh] +v1\.32\.[0-9]+ +127\.0\.0\.2 ' k get nodes -o wide
check "get svc -o wide" 0 'demo-service +LoadBalancer .* +app=demo$' k get svc -o wide
check "get rs -o wide" 0 "^$RS +3 +3 +3 +[0-9]+[smh] +demo +bebullish/demo:v1 +app=demo,pod-template-hash=" k get rs -o wide
run_rc out k get deploy demo-dp -o json
assert_eq "get -o json: exit 0" "0" "$RC"
assert_eq "get -o json: a Deployment" "apps/v1 Deployment demo-dp 3 3" \
    "$(jq -r '"\(.apiVersion) \(.kind) \(.metadata.name) \(.spec.replicas) \(.status.readyReplicas)"' <<<"$out" 2>&1)"
run_rc out k get pods -o json
assert_eq "get pods -o json: a List of three Pods" "List 3 Pod" \
    "$(jq -r '"\(.kind) \(.items | length) \(.items[0].kind)"' <<<"$out" 2>&1)"
check "get -o yaml" 0 '^kind: Deployment$' k get deploy demo-dp -o yaml
assert_seq "get -o yaml: the head" "$out" '^apiVersion: apps/v1$' '^kind: Deployment$' '^metadata:$'
assert_seq "get -o yaml: the strategy" "$out" '^  strategy:$' '^    rollingUpdate:$' \
    '^      maxSurge: 25%$' '^      maxUnavailable: 25%$' '^    type: RollingUpdate$'
assert_match "get -o yaml: the status" '^  readyReplicas: 3$' "$out"
run_rc out k get deploy,svc -o name
assert_eq "get -o name" $'deployment.apps/demo-dp\nservice/demo-service\nservice/kubernetes' "$out"
run_rc out k get pods -o name
assert_eq "get pods -o name" "$(printf 'pod/%s\n' "${pods[@]}" | sort)" "$(sort <<<"$out")"
check "get -o jsonpath (one object)" 0 '^bebullish/demo:v1$' k get deploy demo-dp -o jsonpath='{.spec.template.spec.containers[0].image}'
run_rc out k get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}'
assert_eq "get -o jsonpath range" "$(printf '%s\tRunning\n' "${pods[@]}" | sort)" "$(sort <<<"$out")"
run_rc out k get deploy demo-dp -o jsonpath='{.spec.nosuch}'
assert_eq "get -o jsonpath, a missing field: empty, exit 0" "0:" "$RC:$out"
check "get -o custom-columns" 0 '^NAME +IMAGE +NODE$' \
    k get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,NODE:.spec.nodeName
assert_eq "get -o custom-columns: one row a pod" "3" "$(grep -Ec '^demo-dp-[a-z0-9-]+ +bebullish/demo:v1 +sim-node-[1-3]$' <<<"$out" || true)"
check "get --no-headers" 0 "^$POD +1/1 +Running" k get pods --no-headers
assert_no_match "get --no-headers: no header" '^NAME' "$out"
run_rc out k get pods --sort-by=.metadata.name -o name
assert_eq "get --sort-by" "$(printf 'pod/%s\n' "${pods[@]}" | sort)" "$out"

# get -A
check "get pods -A" 0 '^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE$' k get pods -A
assert_eq "get pods -A: twelve running pods" "12" "$(grep -Ec '^(default|shop|monitoring) +[a-z0-9-]+ +1/1 +Running ' <<<"$out" || true)"
all_pods=$(k get pods -A --no-headers -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name)
check "get deploy -A" 0 '^shop +checkout +4/4 +4 +4 ' k get deploy -A
assert_eq "get deploy -A: six deployments" "6" "$(grep -Ec '^(default|shop|monitoring) ' <<<"$out" || true)"
check "get svc --all-namespaces" 0 '^shop +frontend +NodePort +10\.96\.[0-9.]+ +<none> +80:3[0-9]{4}/TCP' k get svc --all-namespaces
check "get pods -A --chunk-size=2 (paging)" 0 '^default ' k get pods -A --chunk-size=2 --no-headers \
    -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name
assert_eq "get --chunk-size=2: the same pods as one list" "$all_pods" "$out"
run_rc out k get --raw '/api/v1/pods?limit=5'
assert_eq "raw list with limit=5: five items and a continue token" "5 true" \
    "$(jq -r '"\(.items | length) \(.metadata.continue | length > 0)"' <<<"$out" 2>&1)"

# get -l
run_rc out k get pods -l app=demo -o name
assert_eq "get -l app=demo" "$(printf 'pod/%s\n' "${pods[@]}" | sort)" "$(sort <<<"$out")"
run_rc out k get pods -l app==demo -o name
assert_eq "get -l app==demo" "3" "$(count_lines "$out")"
run_rc out k get pods -A -l app!=demo -o name
assert_eq "get -A -l app!=demo" "9" "$(count_lines "$out")"
assert_no_match "get -A -l app!=demo: no demo pod" 'demo-dp' "$out"
run_rc out k get pods -A -l app -o name
assert_eq "get -A -l app (exists)" "12" "$(count_lines "$out")"
check "get -l '!app' (does not exist)" 0 '^No resources found in default namespace\.$' k get pods -l '!app'
run_rc out k get pods -l app=demo,pod-template-hash -o name
assert_eq "get -l with two requirements" "3" "$(count_lines "$out")"
check "get -l nothing matches" 0 '^No resources found in default namespace\.$' k get pods -l app=nosuch
# Set-based selectors: kubectl sends the spaces as '+' in the query string (a known gap until the
# simulator decoded them; fixed in the tree on 2026-12-05).
run_rc out k get pods -l 'app in (demo)' -o name
assert_eq "get -l 'app in (demo)': exit 0" "0" "$RC"
assert_eq "get -l 'app in (demo)'" "$(printf 'pod/%s\n' "${pods[@]}" | sort)" "$(sort <<<"$out")"
run_rc out k get pods -A -l 'app in (demo,frontend)' -o name
assert_eq "get -A -l 'app in (demo,frontend)'" "5" "$(count_lines "$out")"
assert_no_match "get -A -l 'app in (demo,frontend)': nothing else" 'checkout|cart|grafana|prometheus' "$out"
run_rc out k get pods -A -l 'app notin (demo)' -o name
assert_eq "get -A -l 'app notin (demo)'" "9" "$(count_lines "$out")"
run_rc out k get pods -l 'app=demo, pod-template-hash' -o name
assert_eq "get -l 'app=demo, pod-template-hash' (a space after the comma)" "3" "$(count_lines "$out")"
run_rc out k get pods -A -l 'app in (demo), app notin (demo)' -o name
assert_eq "get -l, contradictory set-based requirements: nothing" "0:0" "$RC:$(grep -c '^pod/' <<<"$out" || true)"
check "get rs -l" 0 "^$RS " k get rs -l app=demo
check "get -l, invalid selector" 1 "^Error from server \\(BadRequest\\): .*found '=', expected" k get pods -l 'app=demo=x'

# get --field-selector
run_rc out k get pods --field-selector status.phase=Running -o name
assert_eq "--field-selector status.phase=Running" "3" "$(count_lines "$out")"
check "--field-selector status.phase!=Running" 0 '^No resources found' k get pods --field-selector status.phase!=Running
run_rc out k get pods --field-selector "metadata.name=$POD" -o name
assert_eq "--field-selector metadata.name" "pod/$POD" "$out"
node=$(k get pod "$POD" -o jsonpath='{.spec.nodeName}')
run_rc out k get pods -A --field-selector "spec.nodeName=$node" -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}'
assert_eq "--field-selector spec.nodeName -A: that node's pods only" "$node" "$(sort -u <<<"$out")"
assert_eq "--field-selector spec.nodeName -A: all of them" \
    "$(k get pods -A -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | grep -cx "$node")" "$(count_lines "$out")"
run_rc out k get pods -l app=demo --field-selector status.phase=Running -o name
assert_eq "-l and --field-selector together" "3" "$(count_lines "$out")"
check "--field-selector on events" 0 'ScalingReplicaSet +deployment/demo-dp' \
    k get events --field-selector involvedObject.kind=Deployment,involvedObject.name=demo-dp
assert_no_match "--field-selector on events: only the deployment's" 'pod/' "$out"
check "--field-selector unsupported field" 1 \
    '^Error from server \(BadRequest\): .*field label not supported: foo' k get pods --field-selector foo=bar

# get --show-labels, -L
check "get --show-labels" 0 "^$POD +1/1 +Running +0 +[0-9]+[smh] +app=demo,pod-template-hash=[a-z0-9]+\$" k get pods --show-labels
check "get deploy -A --show-labels" 0 '^shop +cart +1/1 +1 +1 +[0-9]+[smh] +app=cart$' k get deploy -A --show-labels
check "get -L app" 0 "^NAME +READY +STATUS +RESTARTS +AGE +APP\$" k get pods -L app
assert_match "get -L app: the value" "^$POD +1/1 +Running +0 +[0-9]+[smh] +demo\$" "$out"

# get --watch: the initial list, then a change as it happens; the request timeout ends it.
( rc=0; kubectl get pods -l app=demo --watch --request-timeout=25s >"$WORK/watch.out" 2>"$WORK/watch.err" || rc=$?
  echo "$rc" >"$WORK/watch.rc" ) &
has_lines() { [ "$(wc -l <"$1")" -ge "$2" ]; }
if wait_until 30 has_lines "$WORK/watch.out" 4; then pass "get --watch: the initial list"; else
    fail "get --watch: the initial list"; cat "$WORK/watch.out" "$WORK/watch.err"; fi
assert_eq "scale to 4 (to watch a change)" "deployment.apps/demo-dp scaled" "$(k scale deployment demo-dp --replicas=4 2>&1)"
new_running() { [ "$(grep -Ev "$(IFS='|'; echo "${pods[*]}")" "$WORK/watch.out" | grep -Ec ' 1/1 +Running ' || true)" -ge 1 ]; }
if wait_until 60 new_running; then pass "get --watch: the new pod becomes ready"; else
    fail "get --watch: the new pod becomes ready"; cat "$WORK/watch.out"; fi
assert_match "get --watch: the new pod first shows not ready" \
    '^demo-dp-[a-z0-9]+-[a-z0-9]{5} +0/1 +(Pending|ContainerCreating|Running) ' "$(cat "$WORK/watch.out")"
assert_eq "scale back to 3" "deployment.apps/demo-dp scaled" "$(k scale deployment demo-dp --replicas=3 2>&1)"
if wait_until 60 grep -Eq ' Terminating ' "$WORK/watch.out"; then pass "get --watch: a pod terminating"; else
    fail "get --watch: a pod terminating"; cat "$WORK/watch.out"; fi
if wait_until 60 test -s "$WORK/watch.rc"; then pass "get --watch ends at --request-timeout"; else
    fail "get --watch ends at --request-timeout"; fi
assert_eq "get --watch exits 0" "0" "$(cat "$WORK/watch.rc" 2>/dev/null)"
assert_no_match "get --watch: no error" '.' "$(grep -v '^I[0-9]' "$WORK/watch.err" || true)"
k rollout status deployment/demo-dp --timeout=90s >/dev/null 2>&1 || true
read -r -a pods <<<"$(k get pods -l app=demo -o jsonpath='{.items[*].metadata.name}')"
assert_eq "three demo pods again" "3" "${#pods[@]}"
POD=${pods[0]}
run_rc out k get deploy demo-dp -o name --watch --request-timeout=3s
assert_eq "get --watch -o name: exit 0" "0" "$RC"
assert_eq "get --watch -o name: the object, then the timeout" "deployment.apps/demo-dp" "$(sort -u <<<"$out")"

# ------------------------------------------------------------------------------------------------
# describe
check "describe deployment" 0 '^Name: +demo-dp$' k describe deployment demo-dp
assert_match "describe deployment: replicas" '^Replicas: +3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$' "$out"
assert_match "describe deployment: strategy" '^RollingUpdateStrategy: +25% max unavailable, 25% max surge$' "$out"
assert_match "describe deployment: image" '^    Image: +bebullish/demo:v1$' "$out"
assert_match "describe deployment: conditions" '^  Available +True +MinimumReplicasAvailable$' "$out"
assert_match "describe deployment: new replica set" "^NewReplicaSet: +$RS \\(3/3 replicas created\\)\$" "$out"
assert_match "describe deployment: events" 'Normal +ScalingReplicaSet +[0-9]+[smh].* +deployment-controller +Scaled up replica set' "$out"
assert_no_match "describe deployment: nothing odd" "$GARBAGE_RE" "$out"
check "describe pod" 0 "^Name: +$POD\$" k describe pod "$POD"
assert_match "describe pod: running" '^Status: +Running$' "$out"
assert_match "describe pod: node" '^Node: +sim-node-[1-3]/127\.0\.0\.[1-3]$' "$out"
assert_match "describe pod: owner" "^Controlled By: +ReplicaSet/demo-dp-[a-z0-9]+\$" "$out"
assert_seq "describe pod: container" "$out" '^  demo:$' '^    Container ID: +containerd://[0-9a-f]+$' \
    '^    Image: +bebullish/demo:v1$'
assert_match "describe pod: ready" '^    Ready: +True$' "$out"
assert_match "describe pod: events" 'Normal +Started +[0-9]+[smh].* +kubelet +Started container demo' "$out"
assert_no_match "describe pod: nothing odd" "$GARBAGE_RE" "$out"
RS=$(k get rs -l app=demo -o jsonpath='{.items[0].metadata.name}')
check "describe rs" 0 "^Name: +$RS\$" k describe rs "$RS"
assert_match "describe rs: owner" '^Controlled By: +Deployment/demo-dp$' "$out"
assert_match "describe rs: replicas" '^Replicas: +3 current / 3 desired$' "$out"
assert_match "describe rs: pods" '^Pods Status: +3 Running / 0 Waiting / 0 Succeeded / 0 Failed$' "$out"
assert_match "describe rs: events" 'Normal +SuccessfulCreate +[0-9]+[smh].* +replicaset-controller +Created pod: demo-dp-' "$out"
assert_no_match "describe rs: nothing odd" "$GARBAGE_RE" "$out"
check "describe svc" 0 '^Name: +demo-service$' k describe svc demo-service
assert_match "describe svc: type" '^Type: +LoadBalancer$' "$out"
assert_match "describe svc: ports" '^TargetPort: +8080/TCP$' "$out"
assert_match "describe svc: endpoints" '^Endpoints: +10\.244\.[0-9.]+:8080,10\.244\.[0-9.]+:8080,10\.244\.[0-9.]+:8080$' "$out"
check "describe node" 0 '^Name: +sim-node-1$' k describe node sim-node-1
assert_match "describe node: address" '^  InternalIP: +127\.0\.0\.1$' "$out"
assert_match "describe node: ready" '^  Ready +True .* KubeletReady ' "$out"
assert_match "describe node: its pods" '^Non-terminated Pods: +\([0-9]+ in total\)$' "$out"
assert_match "describe node: capacity" '^  pods: +110$' "$out"
assert_no_match "describe node: nothing odd" "$GARBAGE_RE" "$out"
check "describe pods -l" 0 '^Name: ' k describe pods -l app=demo
assert_eq "describe pods -l: three pods" "3" "$(grep -Ec '^Name: +demo-dp-' <<<"$out" || true)"
check "describe a missing deployment" 1 '^Error from server \(NotFound\): deployments\.apps "nosuch" not found' k describe deployment nosuch

# ------------------------------------------------------------------------------------------------
# rollout status / history
check "rollout status" 0 '^deployment "demo-dp" successfully rolled out$' k rollout status deployment/demo-dp --timeout=30s
check "rollout status --watch=false" 0 '^deployment "demo-dp" successfully rolled out$' k rollout status deployment/demo-dp --watch=false
check "rollout status -n shop" 0 '^deployment "checkout" successfully rolled out$' k rollout status -n shop deploy/checkout --timeout=30s
check "rollout status of a missing deployment" 1 'deployments\.apps "nosuch" not found' k rollout status deployment/nosuch --timeout=5s
check "rollout history" 0 '^REVISION +CHANGE-CAUSE$' k rollout history deployment/demo-dp
assert_seq "rollout history: one revision" "$out" '^deployment\.apps/demo-dp *$' '^REVISION +CHANGE-CAUSE$' '^1 +<none>$'
assert_no_match "rollout history: no other revision" '^[02-9] ' "$out"
check "rollout history --revision=1" 0 '^deployment\.apps/demo-dp with revision #1$' k rollout history deployment/demo-dp --revision=1
assert_match "rollout history --revision=1: the template" 'Image:[[:space:]]+bebullish/demo:v1' "$out"
check "rollout history --revision=9" 1 'unable to find the specified revision' k rollout history deployment/demo-dp --revision=9

# top: the simulator serves no metrics API; kubectl must say so and exit 1, nothing worse.
check "top pods fails cleanly" 1 '^error: Metrics API not available$' k top pods
check "top nodes fails cleanly" 1 '^error: Metrics API not available$' k top nodes

# ------------------------------------------------------------------------------------------------
# discovery, version, cluster-info, events
run_rc out k api-resources
api_resources_rc=$RC
assert_match "api-resources header" '^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$' "$out"
assert_match "api-resources: deployments" '^deployments +deploy +apps/v1 +true +Deployment$' "$out"
assert_match "api-resources: replicasets" '^replicasets +rs +apps/v1 +true +ReplicaSet$' "$out"
assert_match "api-resources: pods" '^pods +po +v1 +true +Pod$' "$out"
assert_match "api-resources: services" '^services +svc +v1 +true +Service$' "$out"
assert_match "api-resources: nodes" '^nodes +no +v1 +false +Node$' "$out"
assert_match "api-resources: endpointslices" '^endpointslices +discovery\.k8s\.io/v1 +true +EndpointSlice$' "$out"
api_resources_out=$out
run_rc out k api-versions
assert_eq "api-versions: exit 0" "0" "$RC"
assert_eq "api-versions" $'apps/v1\nauthentication.k8s.io/v1\nauthorization.k8s.io/v1\ndiscovery.k8s.io/v1\nevents.k8s.io/v1\nv1' "$out"
# Every group listed in /apis has resources, so discovery (and api-resources) succeeds.
assert_eq "api-resources: exit 0" "0" "$api_resources_rc"
assert_no_match "api-resources: no discovery error" '^error: ' "$api_resources_out"
assert_match "api-resources: selfsubjectaccessreviews" \
    '^selfsubjectaccessreviews +authorization\.k8s\.io/v1 +false +SelfSubjectAccessReview$' "$api_resources_out"
check "api-resources --verbs=create: the self-reviews" 0 '^selfsubjectreviews +authentication\.k8s\.io/v1 +false +SelfSubjectReview$' \
    k api-resources --verbs=create --api-group=authentication.k8s.io

# auth can-i / whoami: the self-reviews, answered by the authorizer that guards real requests.
check "auth can-i get pods (admin)" 0 '^yes$' k auth can-i get pods
check "auth can-i patch deployments (admin)" 0 '^yes$' k auth can-i patch deployments
check "auth can-i list pods (viewer)" 0 '^yes$' k --context rollscope-sim-viewer auth can-i list pods
check "auth can-i patch deployments (viewer)" 1 '^no$' k --context rollscope-sim-viewer auth can-i patch deployments
check "auth can-i delete pods -n shop (viewer)" 1 '^no$' k --context rollscope-sim-viewer auth can-i delete pods -n shop
check "auth can-i get /version (viewer)" 0 '^yes$' k --context rollscope-sim-viewer auth can-i get /version
check "auth can-i get /metrics (viewer)" 1 '^no$' k --context rollscope-sim-viewer auth can-i get /metrics
check "auth can-i --list (admin)" 0 '^\*\.\* +\[\] +\[\] +\[\*\]$' k auth can-i --list
assert_match "auth can-i --list (admin): every path" '^ +\[\*\] +\[\] +\[\*\]$' "$out"
check "auth can-i --list (viewer)" 0 '^\*\.\* +\[\] +\[\] +\[get list watch\]$' k --context rollscope-sim-viewer auth can-i --list
assert_no_match "auth can-i --list (viewer): no write but the self-reviews" '\[(\*|[a-z ]*(patch|update|delete)[a-z ]*)\]$' "$out"
check "auth whoami" 0 '^Username +[a-z-]+$' k auth whoami
assert_match "auth whoami: groups" '^Groups +\[system:masters system:authenticated\]$' "$out"
check "auth whoami (viewer)" 0 '^Username +viewer$' k --context rollscope-sim-viewer auth whoami
assert_match "auth whoami (viewer): groups" '^Groups +\[rollscope:viewers system:authenticated\]$' "$out"

# The API server's own Service, and its selector-less endpoints at the API server's address.
check "get svc kubernetes" 0 '^kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443/TCP' k get svc kubernetes
server_hostport=${SERVER#https://}
check "get endpoints kubernetes" 0 "^kubernetes +$(sed 's/[.]/\\./g' <<<"$server_hostport") " k get endpoints kubernetes
check "get endpointslice kubernetes" 0 "^kubernetes +IPv4 +${server_hostport##*:} +${server_hostport%:*} " k get endpointslice kubernetes
run_rc out k get svc kubernetes -o jsonpath='{.spec.selector}/{.spec.ports[0].name}/{.spec.ports[0].targetPort}'
assert_eq "svc kubernetes: no selector, port https to the server port" "/https/${server_hostport##*:}" "$out"
check "version" 0 '^Server Version: v1\.32\.[0-9]+' k version
run_rc out k version -o json
assert_eq "version -o json: exit 0" "0" "$RC"
assert_eq "version -o json: server 1.32" "1 32" "$(jq -r '"\(.serverVersion.major) \(.serverVersion.minor)"' <<<"$out" 2>&1)"
check "cluster-info" 0 "Kubernetes control plane.* is running at .*$(sed 's/[.]/\\./g' <<<"$SERVER")" k cluster-info
check "events" 0 '^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$' k events
assert_match "events: the scale-up" "Normal +ScalingReplicaSet +Deployment/demo-dp +Scaled up replica set $RS to 3" "$out"
assert_no_match "events: nothing odd" "$GARBAGE_RE" "$out"
check "events --for" 0 'ScalingReplicaSet +Deployment/demo-dp' k events --for deployment/demo-dp
assert_no_match "events --for: only the deployment" 'Pod/|ReplicaSet/' "$out"
check "events -A" 0 '^NAMESPACE +LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$' k events -A
assert_match "events -A: other namespaces" '^shop +[0-9]+[smh] +Normal +ScalingReplicaSet +Deployment/checkout ' "$out"
check "events --types=Warning" 0 '^No events found in default namespace\.$' k events --types=Warning

# get --raw
for p in /healthz /livez /readyz; do
    check "get --raw $p" 0 '^ok$' k get --raw "$p"
done
run_rc out k get --raw /version
assert_eq "get --raw /version: exit 0" "0" "$RC"
assert_match "get --raw /version: v1.32" '^v1\.32\.' "$(jq -r .gitVersion <<<"$out" 2>&1)"
run_rc out k get --raw /openapi/v3
assert_eq "get --raw /openapi/v3: exit 0" "0" "$RC"
apps_url=$(jq -r '.paths["apis/apps/v1"].serverRelativeURL' <<<"$out" 2>&1)
assert_match "get --raw /openapi/v3: apps/v1 listed" '^/openapi/v3/apis/apps/v1\?hash=' "$apps_url"
assert_match "get --raw /openapi/v3: core v1 listed" '^/openapi/v3/api/v1\?hash=' "$(jq -r '.paths["api/v1"].serverRelativeURL' <<<"$out" 2>&1)"
run_rc out k get --raw "$apps_url"
assert_eq "get --raw /openapi/v3/apis/apps/v1: exit 0" "0" "$RC"
assert_match "get --raw /openapi/v3/apis/apps/v1: an OpenAPI 3 document" '^3\.' "$(jq -r .openapi <<<"$out" 2>&1)"
check "get --raw /api" 0 '"versions":\["v1"\]' k get --raw /api
check "get --raw /apis" 0 '"name":"apps"' k get --raw /apis
check "get --raw a missing path" 1 '^Error from server \(NotFound\)' k get --raw /nosuch

# ------------------------------------------------------------------------------------------------
# explain reads the OpenAPI v3 schemas (more in explain.sh).
check "explain deployment" 0 '^KIND: +Deployment$' k explain deployment
assert_seq "explain deployment: head" "$out" '^GROUP: +apps$' '^KIND: +Deployment$' '^VERSION: +v1$' '^$' '^DESCRIPTION:$'
assert_seq "explain deployment: fields" "$out" '^FIELDS:$' $'^  apiVersion\t<string>$'
check "explain deployment.spec.strategy.rollingUpdate.maxSurge" 0 'FIELD: +maxSurge <IntOrString>' \
    k explain deployment.spec.strategy.rollingUpdate.maxSurge

# ------------------------------------------------------------------------------------------------
# The simulator is still alive and serving.
if kill -0 "$SIM_PID" 2>/dev/null; then pass "simulator process alive"; else fail "simulator process alive"; fi
check "still serving: /readyz" 0 '^ok$' k get --raw /readyz
run_rc out k get pods -A -o name
assert_eq "still serving: get pods -A" "12" "$(count_lines "$out")"
assert_no_match "no sanitizer report" 'AddressSanitizer|LeakSanitizer|runtime error' "$(cat "$WORK/sim.err")"

# ------------------------------------------------------------------------------------------------
# KNOWN GAPS: behaviour the simulator does not have yet (ROLLSCOPE_E2E_KNOWN_GAPS=1).
if [ "${ROLLSCOPE_E2E_KNOWN_GAPS:-0}" == "1" ]; then
    echo "--- known gaps ---"
    # The selector parser's words (k8s.io/apimachinery/pkg/labels/selector.go Parser.parse).
    check "GAP get -l 'app=demo=x': the parser's message" 1 \
        "label selector \"app=demo=x\", field selector \"\": found '=', expected: ',' or 'end of string'\$" \
        k get pods -l 'app=demo=x'
    check "GAP get -l 'app=demo,,': the parser's message" 1 "found ',', expected: identifier after ','\$" \
        k get pods -l 'app=demo,,'
    check "GAP get -l with an invalid label value" 1 'Invalid value: "de/mo"' k get pods -l 'app=de/mo'
    # describe node looks up the node's Lease (coordination.k8s.io/v1, kube-node-lease).
    run_rc out k describe node sim-node-1
    assert_no_match "GAP describe node: its lease" 'Failed to get lease' "$out"
    # kube-apiserver lists its checks on ?verbose and serves the individual checks.
    check "GAP get --raw '/readyz?verbose'" 0 'readyz check passed' k get --raw '/readyz?verbose'
    check "GAP get --raw /livez/ping" 0 '^ok$' k get --raw /livez/ping
else
    echo "skip  known gaps (selector error wording, node Lease, /readyz?verbose):"
    echo "      set ROLLSCOPE_E2E_KNOWN_GAPS=1"
fi

finish
