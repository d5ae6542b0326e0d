#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_rollout_scale.sh [BUILD_DIR] [REPLICAS] [SPEED] [RATE]
#
# A big rolling update, followed and probed by `rollscope rollout`, against rollscope-sim:
# a Deployment of REPLICAS (default 2000) `bebullish/demo` pods with maxSurge/maxUnavailable
# 25 %/25 % and a NodePort Service, simulator at --speed SPEED (default 10), probed at RATE
# requests/s (default 20), each on a new connection. While the controllers create and delete
# hundreds of pods the pods must keep serving, as a real cluster's do: the figures to watch are
# the failed requests (0 expected) and the probe latency p99 (under 50 ms expected).
# Prints one line per figure and a last line
#   rollout-scale: N replicas, X of Y requests failed, probe p99 Z ms, duration D s, exit E
# and exits non-zero when requests failed or p99 >= 50 ms. Needs kubectl and python3.
set -euo pipefail

BUILD_DIR=${1:-build}
REPLICAS=${2:-2000}
SPEED=${3:-10}
RATE=${4:-20}
here=$(cd "$(dirname "$0")/../.." && pwd)
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$here/$BUILD_DIR" ;; esac
SIM="$BUILD_DIR/bin/rollscope-sim"
ROLLSCOPE="$BUILD_DIR/bin/rollscope"
for b in "$SIM" "$ROLLSCOPE"; do
    [ -x "$b" ] || { echo "bench_rollout_scale: $b is not built" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rollscope-scale.XXXXXX")
SIM_PID=""
cleanup() {
    [ -n "$SIM_PID" ] && kill -TERM "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
export KUBECONFIG="$WORK/kubeconfig"
export KUBECACHEDIR="$WORK/kube-cache"

mkfifo "$WORK/sim.fifo"
"$SIM" --listen 127.0.0.1:0 --kubeconfig "$KUBECONFIG" --scenario empty --speed "$SPEED" \
    >"$WORK/sim.fifo" 2>"$WORK/sim.err" &
SIM_PID=$!
exec 3<"$WORK/sim.fifo"
read -r -t 120 line <&3 || { echo "rollscope-sim did not start" >&2; cat "$WORK/sim.err" >&2; exit 1; }
cat <&3 >/dev/null &

kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  selector:
    matchLabels:
      app: big
  replicas: $REPLICAS
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
  template:
    metadata:
      labels:
        app: big
    spec:
      containers:
      - name: demo
        image: bebullish/demo:v1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: big
spec:
  type: NodePort
  selector:
    app: big
  ports:
  - port: 80
    targetPort: 8080
YAML
start=$(date +%s.%N)
kubectl rollout status deployment/big --timeout=600s >/dev/null
available=$(kubectl get deployment big -o jsonpath='{.status.availableReplicas}')
echo "settled: $available of $REPLICAS replicas available after $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
[ "$available" = "$REPLICAS" ] || { echo "bench_rollout_scale: the Deployment did not settle" >&2; exit 1; }

set +e
/usr/bin/time -f '%e %U %S %M' -o "$WORK/time" \
    "$ROLLSCOPE" rollout deployment/big --image demo=bebullish/demo:v2 --probe auto \
    --rate "$RATE" --timeout 600 --timeline "$WORK/big.json" >"$WORK/out" 2>&1
status=$?
set -e
read -r wall user sys rss <"$WORK/time"
echo "rollscope rollout: exit $status, $(wc -l <"$WORK/out") lines, wall ${wall} s, CPU $(python3 -c "print(round($user + $sys, 2))") s, peak RSS $((rss / 1024)) MB"
grep -E "^(Requests|Verdict|Prober):" "$WORK/out" || true
python3 - "$WORK/big.json" "$REPLICAS" "$status" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
s = t["summary"]
p99 = max((x.get("latencyMs", {}).get("p99", 0) for x in t["samples"]), default=0)
print(f"rollout-scale: {sys.argv[2]} replicas, {s['failedRequests']} of {s['requests']} requests failed, "
      f"probe p99 (worst sample interval) {p99} ms, duration {s['durationSeconds']} s, exit {sys.argv[3]}")
sys.exit(0 if s["failedRequests"] == 0 and p99 < 50 and sys.argv[3] == "0" else 1)
PY
