#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kubectl create verbs rollscope-sim serves, which send protobuf bodies
# (application/vnd.kubernetes.protobuf): create namespace, create deployment (--replicas,
# --port, --dry-run=server), create service clusterip|nodeport|loadbalancer|externalname; then
# kubectl scale on what they stored. Each for its exit status and the object it leaves, read
# back as JSON.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
need_jq
start_sim --scenario empty

# jget RESOURCE JQ_FILTER [kubectl args...]: one field of an object, as kubectl get -o json has it.
jget() {
    local what=$1 filter=$2; shift 2
    k get "$what" -o json "$@" | jq -r "$filter"
}

# The request really is protobuf (so this tests what it says): kubectl's request log.
run_rc out k create namespace team-a -v=8
assert_eq "create namespace: exit 0" 0 "$RC"
assert_match "create namespace: sent protobuf" 'Content-Type: application/vnd.kubernetes.protobuf' "$out"
assert_match "create namespace: output" '^namespace/team-a created$' "$(grep -v '^I[0-9]' <<<"$out")"
assert_eq "namespace stored" "team-a Active" "$(jget namespace/team-a '.metadata.name + " " + .status.phase')"

run_rc out k create deployment web --image=nginx:1.25 --replicas=3 --port=80 -n team-a
assert_eq "create deployment: exit 0" 0 "$RC"
assert_eq "create deployment: output" "deployment.apps/web created" "$out"
assert_eq "deployment replicas" 3 "$(jget deployment/web .spec.replicas -n team-a)"
assert_eq "deployment image" "nginx:1.25" "$(jget deployment/web '.spec.template.spec.containers[0].image' -n team-a)"
assert_eq "deployment container name" "nginx" "$(jget deployment/web '.spec.template.spec.containers[0].name' -n team-a)"
assert_eq "deployment port" "80 TCP" "$(jget deployment/web '.spec.template.spec.containers[0].ports[0] | "\(.containerPort) \(.protocol)"' -n team-a)"
assert_eq "deployment selector" "web" "$(jget deployment/web '.spec.selector.matchLabels.app' -n team-a)"
assert_eq "deployment template labels" "web" "$(jget deployment/web '.spec.template.metadata.labels.app' -n team-a)"
assert_eq "deployment defaults" "RollingUpdate 25% 25% 10 600" \
    "$(jget deployment/web '.spec.strategy | "\(.type) \(.rollingUpdate.maxSurge) \(.rollingUpdate.maxUnavailable)"' -n team-a) $(jget deployment/web '"\(.spec.revisionHistoryLimit) \(.spec.progressDeadlineSeconds)"' -n team-a)"

# Without --replicas kubectl leaves the field out: the default, 1.
run_rc out k create deployment plain --image=nginx:1.25
assert_eq "create deployment (no --replicas): exit 0" 0 "$RC"
assert_eq "deployment default replicas" 1 "$(jget deployment/plain .spec.replicas)"

# Creating it again: the same conflict as for a JSON body.
run_rc out k create deployment web --image=nginx:1.25 -n team-a
assert_eq "create existing deployment: exit 1" 1 "$RC"
assert_match "create existing deployment: AlreadyExists" 'deployments.apps "web" already exists' "$out"

# --dry-run=server: answered (with the defaults filled in), nothing stored.
run_rc out k create deployment dry --image=nginx:1.25 --replicas=2 --dry-run=server -o json
assert_eq "dry-run=server: exit 0" 0 "$RC"
assert_eq "dry-run=server: answer" "dry 2 RollingUpdate" "$(jq -r '"\(.metadata.name) \(.spec.replicas) \(.spec.strategy.type)"' <<<"$out")"
run_rc out k get deployment dry
assert_eq "dry-run=server: not stored (exit 1)" 1 "$RC"
assert_match "dry-run=server: not stored" 'deployments.apps "dry" not found' "$out"

run_rc out k create service clusterip web --tcp=80:8080 -n team-a
assert_eq "create service clusterip: exit 0" 0 "$RC"
assert_eq "create service clusterip: output" "service/web created" "$out"
assert_eq "clusterip service" "ClusterIP web 80 8080 TCP 80-8080" \
    "$(jget service/web '"\(.spec.type) \(.spec.selector.app) \(.spec.ports[0].port) \(.spec.ports[0].targetPort) \(.spec.ports[0].protocol) \(.spec.ports[0].name)"' -n team-a)"
assert_match "clusterip service: an address" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "$(jget service/web .spec.clusterIP -n team-a)"

run_rc out k create service nodeport np --tcp=80:8080 --node-port=30080
assert_eq "create service nodeport: exit 0" 0 "$RC"
assert_eq "nodeport service" "NodePort 80 8080 30080" \
    "$(jget service/np '"\(.spec.type) \(.spec.ports[0].port) \(.spec.ports[0].targetPort) \(.spec.ports[0].nodePort)"')"
run_rc out k create service nodeport np2 --tcp=81:8081
assert_eq "create service nodeport (allocated): exit 0" 0 "$RC"
assert_match "nodeport allocated" '^3[0-9]{4}$' "$(jget service/np2 '.spec.ports[0].nodePort')"

run_rc out k create service loadbalancer lb --tcp=443:8443
assert_eq "create service loadbalancer: exit 0" 0 "$RC"
assert_eq "loadbalancer service" "LoadBalancer 443 8443" \
    "$(jget service/lb '"\(.spec.type) \(.spec.ports[0].port) \(.spec.ports[0].targetPort)"')"
run_rc out k create service externalname ext --external-name=example.com
assert_eq "create service externalname: exit 0" 0 "$RC"
assert_eq "externalname service" "ExternalName example.com" \
    "$(jget service/ext '"\(.spec.type) \(.spec.externalName)"')"

# kubectl scale sends a merge patch to the scale subresource (JSON), on what create stored.
run_rc out k scale deployment/web --replicas=5 -n team-a
assert_eq "scale: exit 0" 0 "$RC"
assert_eq "scale: output" "deployment.apps/web scaled" "$out"
assert_eq "scaled replicas" 5 "$(jget deployment/web .spec.replicas -n team-a)"
run_rc out k scale deployment/web --replicas=0 -n team-a
assert_eq "scale to 0: exit 0" 0 "$RC"
assert_eq "scaled to 0" 0 "$(jget deployment/web .spec.replicas -n team-a)"
run_rc out k scale deployment/web --replicas=2 --current-replicas=7 -n team-a
assert_eq "scale with a wrong --current-replicas: exit 1" 1 "$RC"
assert_eq "still 0" 0 "$(jget deployment/web .spec.replicas -n team-a)"

finish
