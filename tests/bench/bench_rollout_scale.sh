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
# In the same run, `kubectl get pods -w` follows the same rollout: rollscope must cost at most
# half its CPU and no more peak memory, print at most 200 lines and write a timeline JSON and an
# HTML report of at most 1 MB each.
# Prints one line per figure, a line per goal (met / MISSED) and a last line
#   rollout-scale: N replicas, X of Y requests failed, probe p99 Z ms, duration D s, CPU xA and RSS xB of kubectl get pods -w, exit E
# and exits non-zero when a goal is missed. Needs kubectl and python3.
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
    # ROLLSCOPE_BENCH_KEEP=DIR keeps the recording, the report and both outputs there.
    if [ -n "${ROLLSCOPE_BENCH_KEEP:-}" ]; then
        mkdir -p "$ROLLSCOPE_BENCH_KEEP"
        cp -f "$WORK"/big.json "$WORK"/big.html "$WORK"/out "$WORK"/kubectl.out \
            "$ROLLSCOPE_BENCH_KEEP"/ 2>/dev/null || true
    fi
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

# The peer, in the same run: `kubectl get pods -w` following the same rollout (what a user
# runs instead), from just before the change until rollscope has seen it complete.
/usr/bin/time -f '%e %U %S %M' -o "$WORK/kubectl.time" \
    kubectl get pods -l app=big -w --output-watch-events >"$WORK/kubectl.out" 2>&1 &
KUBECTL_PID=$!
# kubectl lists first; the watch is open once the list is printed.
for _ in $(seq 600); do
    [ "$(wc -l <"$WORK/kubectl.out")" -ge "$REPLICAS" ] && break
    sleep 0.1
done

set +e
/usr/bin/time -f '%e %U %S %M' -o "$WORK/time" \
    "$ROLLSCOPE" rollout deployment/big --image demo=bebullish/demo:v2 --probe auto \
    --rate "$RATE" --timeout 600 --timeline "$WORK/big.json" --report "$WORK/big.html" \
    >"$WORK/out" 2>&1
status=$?
set -e
# Both followed the same window: from before the change until the rollout was complete.
# (GNU time ignores SIGINT while it waits: the signal goes to kubectl, its child.)
pkill -INT -P "$KUBECTL_PID" 2>/dev/null || true
wait "$KUBECTL_PID" 2>/dev/null || true
# time's last line holds the figures (before it: "Command terminated by signal 2").
read -r wall user sys rss < <(tail -n 1 "$WORK/time")
read -r kwall kuser ksys krss < <(tail -n 1 "$WORK/kubectl.time")
lines=$(wc -l <"$WORK/out")
json_bytes=$(stat -c %s "$WORK/big.json")
html_bytes=$(stat -c %s "$WORK/big.html")
echo "rollscope rollout: exit $status, $lines lines, wall ${wall} s, CPU $(python3 -c "print(round($user + $sys, 2))") s, peak RSS $((rss / 1024)) MB, timeline JSON $((json_bytes / 1024)) KiB, HTML report $((html_bytes / 1024)) KiB"
echo "kubectl get pods -w: $(wc -l <"$WORK/kubectl.out") lines, wall ${kwall} s, CPU $(python3 -c "print(round($kuser + $ksys, 2))") s, peak RSS $((krss / 1024)) MB"
grep -E "^(Requests|Verdict|Prober):" "$WORK/out" || true
python3 - "$WORK/big.json" "$REPLICAS" "$status" "$user" "$sys" "$rss" "$kuser" "$ksys" "$krss" \
    "$lines" "$json_bytes" "$html_bytes" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
s = t["summary"]
replicas, status = sys.argv[2], sys.argv[3]
cpu, rss = float(sys.argv[4]) + float(sys.argv[5]), int(sys.argv[6])
kcpu, krss = float(sys.argv[7]) + float(sys.argv[8]), int(sys.argv[9])
lines, json_bytes, html_bytes = int(sys.argv[10]), int(sys.argv[11]), int(sys.argv[12])
p99 = max((x.get("latencyMs", {}).get("p99", 0) for x in t["samples"]), default=0)
cpu_ratio = cpu / kcpu if kcpu > 0 else float("inf")
rss_ratio = rss / krss if krss > 0 else float("inf")
goals = {
    "no failed request": s["failedRequests"] == 0,
    "probe p99 < 50 ms": p99 < 50,
    "exit 0": status == "0",
    "CPU <= half of kubectl get pods -w": cpu_ratio <= 0.5,
    "peak RSS <= kubectl get pods -w": rss_ratio <= 1.0,
    "<= 200 lines of output": lines <= 200,
    "timeline JSON <= 1 MB": json_bytes <= 1_000_000,
    "HTML report <= 1 MB": html_bytes <= 1_000_000,
}
for name, met in goals.items():
    print(f"  {'met   ' if met else 'MISSED'} {name}")
print(f"versus kubectl get pods -w: CPU x{cpu_ratio:.2f}, peak RSS x{rss_ratio:.2f}")
print(f"rollout-scale: {replicas} replicas, {s['failedRequests']} of {s['requests']} requests failed, "
      f"probe p99 (worst sample interval) {p99} ms, duration {s['durationSeconds']} s, "
      f"CPU x{cpu_ratio:.2f} and RSS x{rss_ratio:.2f} of kubectl get pods -w, exit {status}")
sys.exit(0 if all(goals.values()) else 1)
PY
