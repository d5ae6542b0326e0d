#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# packaging/completion/rollscope.bash, driven as bash drives it (COMP_WORDS, COMP_CWORD, then the
# function `complete -p rollscope` names), against rollscope-sim: commands, options (every one
# `rollscope --help` lists), contexts, namespaces and deployments, and the --kubeconfig,
# --context and -n already on the line.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
start_sim --scenario demo --seed 7
K="$KUBECONFIG"
unset KUBECONFIG
export HOME="$WORK/home" # no ~/.kube/config of the machine running the test
mkdir -p "$HOME"
PATH="$BUILD_DIR/bin:$PATH"

source "$SOURCE_DIR/packaging/completion/rollscope.bash"
spec=$(complete -p rollscope)
assert_match "complete -p rollscope" '^complete -F [_A-Za-z]+ rollscope$' "$spec"
func=${spec#complete -F }
func=${func% rollscope}

# comp NAME EXPECTED WORD...: completes the last WORD of `rollscope WORD...` (bash's split: '='
# is a word of its own) and compares the sorted COMPREPLY, one per line.
comp() {
    local name=$1 expected=$2; shift 2
    COMP_WORDS=(rollscope "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$func" rollscope "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    local actual=""
    if [ ${#COMPREPLY[@]} -gt 0 ]; then actual=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort); fi
    assert_eq "$name" "$expected" "$actual"
}
sorted() { printf '%s\n' "$@" | LC_ALL=C sort; }
contexts=$(sorted rollscope-sim rollscope-sim-token rollscope-sim-viewer)
namespaces=$(sorted default kube-node-lease kube-public kube-system monitoring shop)

# Commands (in an empty folder: saved timelines are offered next to them).
mkdir -p "$WORK/empty"
cd "$WORK/empty"
comp "commands" "$(sorted get rollout)" ""
comp "commands: ro" "rollout" ro
comp "get: resource" "$(sorted deployments deployment deploy)" get ""
comp "get: deployme" "$(sorted deployments deployment)" get deployme

# Options: every long option the parser knows is offered, nothing else.
help_options=$(LANGUAGE=en LC_ALL=C.UTF-8 rollscope --help |
    grep -E '^ +-' | grep -oE -- '--[a-z][a-z0-9-]*' | LC_ALL=C sort -u)
[ -n "$help_options" ] || { echo "rollscope --help listed no options"; exit 1; }
COMP_WORDS=(rollscope --); COMP_CWORD=1; COMPREPLY=()
"$func" rollscope -- rollscope
offered=$(printf '%s\n' "${COMPREPLY[@]}" | grep -E -- '^--' | LC_ALL=C sort -u)
assert_eq "options: every long option of --help, and only those" "$help_options" "$offered"
# After a command: all of them but those the parser refuses for it.
without() { # OPTION...: help_options without these
    local drop
    drop=$(printf '%s\n' "$@")
    grep -vxF -- "$drop" <<<"$help_options"
}
comp "get: every option but rollout's and the window's" \
    "$(without --image --probe --rate --timeline --report --csv --timeout --demo --demo-speed)" \
    get deployments --
comp "rollout: every option but get's and the window's" \
    "$(without --all-namespaces --output --demo --demo-speed)" rollout deployment/demo-dp --
comp "options: --kubec" "--kubeconfig" --kubec
comp "options: --c" "$(sorted --context --csv)" --c
comp "get options: --a" "--all-namespaces" get deployments --a
comp "get options: no rollout options" "" get deployments --ima
comp "rollout options: --t" "$(sorted --timeline --timeout)" rollout deployment/demo-dp --t
comp "rollout options: no get options" "" rollout deployment/demo-dp --all
comp "-o values" "$(sorted json wide)" get deployments -o ""
comp "--probe values: a" "auto" rollout deployment/demo-dp --probe a
comp "--lang values" "$(sorted en zh_CN)" --lang ""
comp "no value offered for --image" "" rollout deployment/demo-dp --image ""

# Contexts (from the kubeconfig on the line, or $KUBECONFIG).
comp "--context" "$contexts" --kubeconfig "$K" --context ""
comp "--context rollscope-sim-v" "rollscope-sim-viewer" --kubeconfig "$K" --context rollscope-sim-v
comp "--context=, --kubeconfig=F" "$contexts" --kubeconfig = "$K" --context = ""
comp "--context=rollscope-sim-t" "rollscope-sim-token" --kubeconfig = "$K" --context = rollscope-sim-t
comp "--context after the command" "$contexts" --kubeconfig "$K" get deployments --context ""
KUBECONFIG="$K" comp "--context from \$KUBECONFIG" "$contexts" --context ""
comp "--context without any kubeconfig" "" --context ""

# Namespaces.
comp "-n" "$namespaces" --kubeconfig "$K" -n ""
comp "--namespace k" "$(sorted kube-node-lease kube-public kube-system)" --kubeconfig "$K" --namespace k
comp "--namespace=s" "shop" --kubeconfig "$K" --namespace = s

# Deployments.
comp "rollout: deployments of the context's namespace" "deployment/demo-dp" --kubeconfig "$K" rollout ""
comp "rollout: -n shop" "$(sorted deployment/cart deployment/checkout deployment/frontend)" \
    --kubeconfig "$K" -n shop rollout ""
comp "rollout: deploy/c" "$(sorted deploy/cart deploy/checkout)" --kubeconfig "$K" -n shop rollout deploy/c
comp "rollout: deployment NAME" "frontend" --kubeconfig "$K" -n shop rollout deployment f
comp "rollout: -n after the command" "$(sorted deployment/grafana deployment/prometheus)" \
    --kubeconfig "$K" rollout -n monitoring ""
comp "rollout: --namespace=monitoring" "deployment/grafana" --kubeconfig "$K" --namespace = monitoring rollout deployment/g
comp "rollout: not a deployment kind" "" --kubeconfig "$K" rollout pods/
comp "rollout: nothing to ask offers the kinds" "$(sorted deployments deployment deploy)" rollout ""

# The --context on the line is the one asked: a kubeconfig whose current context cannot be
# reached lists nothing unless --context names the simulator's.
sed -e 's/^current-context: .*/current-context: elsewhere/' -e 's/^contexts:$/contexts:\
- name: elsewhere\
  context:\
    cluster: nowhere\
    user: rollscope-sim-admin/' -e 's/^clusters:$/clusters:\
- name: nowhere\
  cluster:\
    server: https:\/\/127.0.0.1:1/' "$K" >"$WORK/two.yaml"
comp "contexts of the second kubeconfig" "$(sorted elsewhere rollscope-sim rollscope-sim-token rollscope-sim-viewer)" \
    --kubeconfig "$WORK/two.yaml" --context ""
comp "-n: the current context is unreachable" "" --kubeconfig "$WORK/two.yaml" -n ""
comp "-n: --context names the simulator" "$namespaces" --kubeconfig "$WORK/two.yaml" --context rollscope-sim -n ""
comp "rollout: --context=rollscope-sim" "deployment/demo-dp" --kubeconfig "$WORK/two.yaml" --context = rollscope-sim rollout ""
comp "--kubeconfig on the line wins over \$KUBECONFIG" "" --kubeconfig "$WORK/missing.yaml" -n ""

# Files.
mkdir -p "$WORK/files/sub"
touch "$WORK/files/kube.yaml" "$WORK/files/saved.json" "$WORK/files/notes.txt"
cd "$WORK/files"
comp "--kubeconfig: files" "kube.yaml" --kubeconfig ku
comp "--kubeconfig ~/" "" --kubeconfig "~/nothing-here"
comp "timeline files next to the commands" "$(sorted get rollout saved.json sub)" ""
comp "--report: files" "notes.txt" rollout deployment/demo-dp --report no

# Works with the caller's shell options too.
set +euo pipefail
comp "without set -euo pipefail" "deployment/demo-dp" --kubeconfig "$K" rollout ""
set -euo pipefail

finish
