#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kubectl explain and apply against the OpenAPI documents rollscope-sim generates from its typed
# objects: explain walks /openapi/v3 (fields, types, -required-, --recursive), client-side apply
# computes its strategic merge patch from the v3 schemas (merge keys) without asking for
# /openapi/v2, and a manifest with a wrong type or an unknown field gets the API server's error.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need_kubectl
start_sim --scenario demo --seed 5

# has_line NAME TEXT LINE: TEXT has exactly LINE as one of its lines.
has_line() {
    if grep -Fxq -- "$3" < <(printf '%s\n' "$2"); then pass "$1"; else fail "$1"; printf '      line: %s\n' "$3"; printf '%s\n' "$2" | sed -n '1,30s/^/        /p'; fi
}
TAB=$'\t'

# ------------------------------------------------------------------------------------------------
# explain
check "explain deployment.spec.strategy.rollingUpdate" 0 '^FIELD: rollingUpdate <RollingUpdateDeployment>$' \
    k explain deployment.spec.strategy.rollingUpdate
has_line "rollingUpdate: group" "$out" "GROUP:      apps"
has_line "rollingUpdate: maxSurge" "$out" "  maxSurge${TAB}<IntOrString>"
has_line "rollingUpdate: maxUnavailable" "$out" "  maxUnavailable${TAB}<IntOrString>"
assert_match "rollingUpdate: maxSurge described" 'percentage' "$out"

check "explain pods.spec.containers --recursive" 0 '^FIELD: containers <\[\]Container>$' \
    k explain pods.spec.containers --recursive
has_line "containers: name required" "$out" "  name${TAB}<string> -required-"
has_line "containers: image" "$out" "  image${TAB}<string>"
has_line "containers: env" "$out" "  env${TAB}<[]EnvVar>"
has_line "containers: env name" "$out" "    name${TAB}<string> -required-"
has_line "containers: env valueFrom" "$out" "    valueFrom${TAB}<EnvVarSource>"
has_line "containers: probe" "$out" "  livenessProbe${TAB}<Probe>"
has_line "containers: probe httpGet" "$out" "    httpGet${TAB}<HTTPGetAction>"
has_line "containers: probe port" "$out" "      port${TAB}<IntOrString> -required-"
has_line "containers: probe period" "$out" "    periodSeconds${TAB}<integer>"
has_line "containers: resources" "$out" "  resources${TAB}<ResourceRequirements>"
has_line "containers: limits" "$out" "    limits${TAB}<map[string]Quantity>"
has_line "containers: volumeMounts" "$out" "  volumeMounts${TAB}<[]VolumeMount>"
has_line "containers: securityContext" "$out" "  securityContext${TAB}<SecurityContext>"

check "explain service.spec.ports" 0 '^FIELD: ports <\[\]ServicePort>$' k explain service.spec.ports
has_line "ports: port" "$out" "  port${TAB}<integer> -required-"
has_line "ports: targetPort" "$out" "  targetPort${TAB}<IntOrString>"
has_line "ports: protocol" "$out" "  protocol${TAB}<string>"

check "explain pod.status.conditions" 0 $'^  lastTransitionTime\t<string>$' k explain pod.status.conditions
check "explain a missing field" 1 '^error: field "bogus" does not exist$' k explain deployment.spec.bogus

# ------------------------------------------------------------------------------------------------
# Client-side apply: the three-way strategic merge patch, merged by the schemas' keys.
cat >"$WORK/web1.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
        resources: {limits: {cpu: 500m, memory: 128Mi}}
      - name: side
        image: busybox:1.36
YAML
check "apply: create" 0 '^deployment.apps/web created$' k apply -f "$WORK/web1.yaml"
# The second container and env B removed, env C added, the image changed.
sed -e 's/nginx:1.27/nginx:1.28/' -e 's/{name: B, value: "2"}/{name: C, value: "3"}/' \
    -e '/- name: side/,$d' "$WORK/web1.yaml" >"$WORK/web2.yaml"
check "apply: configure" 0 '^deployment.apps/web configured$' k apply -f "$WORK/web2.yaml" -v=6
assert_match "apply: reads the v3 document" 'GET .*/openapi/v3/apis/apps/v1\?hash=' "$out"
assert_no_match "apply: never asks for /openapi/v2" '/openapi/v2' "$out"
assert_eq "apply: containers merged by name" "web nginx:1.28" \
    "$(k get deployment web -o jsonpath='{range .spec.template.spec.containers[*]}{.name} {.image}{end}')"
assert_eq "apply: env merged by name" "A=1 C=3 " \
    "$(k get deployment web -o jsonpath='{range .spec.template.spec.containers[0].env[*]}{.name}={.value} {end}')"

# ------------------------------------------------------------------------------------------------
# Typed decoding: the server's errors for what a real API server refuses.
bad() { # bad FILE PROBE_YAML: a Deployment "bad" with this liveness probe
    cat >"$1" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers:
      - name: c
        image: nginx:1.27
        livenessProbe: $2
YAML
}
bad "$WORK/bad-type.yaml" '{httpGet: {port: 80}, periodSeconds: "10"}'
check "apply: a wrong type" 1 \
    '^Error from server \(BadRequest\): error when creating ".*bad-type.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field Probe\.spec\.template\.spec\.containers\.livenessProbe\.periodSeconds of type int32$' \
    k apply -f "$WORK/bad-type.yaml"
bad "$WORK/bad-field.yaml" '{httpGet: {port: 80, bogus: 1}}'
check "apply: an unknown field" 1 \
    '^Error from server \(BadRequest\): error when creating ".*bad-field.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.livenessProbe\.httpGet\.bogus"$' \
    k apply -f "$WORK/bad-field.yaml"
bad "$WORK/bad-quantity.yaml" '{httpGet: {port: 80}}'
sed -i 's/^        livenessProbe:.*/        resources: {limits: {cpu: lots}}/' "$WORK/bad-quantity.yaml"
check "apply: a quantity that does not parse" 1 \
    "cannot be handled as a Deployment: quantities must match the regular expression '\\^\\(\\[\\+-\\]\\?\\[0-9\\.\\]\\+\\)\\(\\[eEinumkKMGTP\\]\\*\\[-\\+\\]\\?\\[0-9\\]\\*\\)\\$'\$" \
    k apply -f "$WORK/bad-quantity.yaml"
check "none of them was created" 1 'NotFound' k get deployment bad
check "apply --validate=warn: the field is dropped with a warning" 0 \
    'Warning: unknown field "spec\.template\.spec\.containers\[0\]\.livenessProbe\.httpGet\.bogus"' \
    k apply --validate=warn -f "$WORK/bad-field.yaml"
probe=$(k get deployment bad -o jsonpath='{.spec.template.spec.containers[0].livenessProbe.httpGet}')
assert_match "apply --validate=warn: the rest of the probe kept" '"port":80' "$probe"
assert_no_match "apply --validate=warn: the unknown field dropped" 'bogus' "$probe"

# ------------------------------------------------------------------------------------------------
# /openapi/v2 is JSON only: served to a client that accepts JSON, 406 to one that insists on the
# protobuf kube-apiserver would send (kubectl's explain --output plaintext-openapiv2).
run_rc out k get --raw /openapi/v2
assert_eq "get --raw /openapi/v2: exit 0" "0" "$RC"
assert_match "get --raw /openapi/v2: Swagger 2.0 with the kinds" '"swagger":"2.0"' "$out"
assert_match "get --raw /openapi/v2: the Deployment definition" '"io.k8s.api.apps.v1.Deployment":\{' "$out"
check "explain from v2 (protobuf): not acceptable" 1 '\(NotAcceptable\)' \
    k explain deployment --output plaintext-openapiv2

assert_no_match "no sanitizer report" 'AddressSanitizer|LeakSanitizer|runtime error' "$(cat "$WORK/sim.err")"
finish
