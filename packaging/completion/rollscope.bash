# bash completion for rollscope(1)                                      -*- shell-script -*-
#
# Completes rollscope's commands and options; --context, -n/--namespace and deployment names
# come from `rollscope __complete`, which reads the kubeconfig (contexts) or asks the cluster
# (namespaces, deployments) within about two seconds and prints nothing on any error. The
# --kubeconfig, --context and -n/--namespace already on the line are passed on, as kubectl's
# completion does. Needs no bash-completion helpers; installed to
# share/bash-completion/completions/rollscope (loaded on demand by bash-completion).

# _rollscope_candidates CMD SUBJECT: the helper's candidates, one per line, for the connection
# options on the command line being completed (words[], cword).
_rollscope_candidates()
{
    local cmd=$1 subject=$2
    local -a connection=()
    local i word value name
    for ((i = 1; i < ${#words[@]}; i++)); do
        ((i == cword)) && continue
        word=${words[i]}
        name=""
        value=""
        case $word in
            --kubeconfig | --context | -n | --namespace)
                name=$word
                if ((i + 1 < ${#words[@]} && i + 1 != cword)); then
                    value=${words[i + 1]}
                    # `--opt=value` arrives as `--opt`, `=`, `value` ('=' breaks words).
                    if [[ $value == "=" ]]; then
                        ((i + 2 < ${#words[@]} && i + 2 != cword)) && value=${words[i + 2]} || value=""
                    fi
                fi
                ;;
            --kubeconfig=* | --context=* | --namespace=*)
                name=${word%%=*}
                value=${word#*=}
                ;;
            -n?*)
                name=-n
                value=${word#-n}
                ;;
        esac
        [[ -n $name && -n $value ]] || continue
        # Quotes and a leading ~ as the shell would remove and expand them (never eval'd).
        value=${value#[\"\']}
        value=${value%[\"\']}
        [[ $value == "~/"* ]] && value=$HOME/${value#"~/"}
        case $name in
            --kubeconfig) connection+=(--kubeconfig "$value") ;;
            --context) [[ $subject != contexts ]] && connection+=(--context "$value") ;;
            -n | --namespace) [[ $subject == deployments ]] && connection+=(-n "$value") ;;
        esac
    done
    "$cmd" __complete "$subject" "${connection[@]}" 2>/dev/null </dev/null
}

# _rollscope_reply WORDS...: COMPREPLY = the words (one per line) that start with $cur.
_rollscope_reply()
{
    local -a candidates=() matches=()
    local candidate
    [[ -n $1 ]] && mapfile -t candidates <<<"$1"
    for candidate in "${candidates[@]}"; do
        [[ -n $candidate && $candidate == "$cur"* ]] && matches+=("$candidate")
    done
    COMPREPLY=("${matches[@]}")
}

_rollscope_files()
{
    compopt -o filenames 2>/dev/null || :
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

_rollscope()
{
    local cmd=${1:-rollscope}
    local cur=${COMP_WORDS[COMP_CWORD]-}
    local -a words=("${COMP_WORDS[@]}")
    local cword=$COMP_CWORD
    local prev=""
    ((cword > 0)) && prev=${words[cword - 1]}
    # `--opt=<TAB>` and `--opt=val<TAB>`: '=' is a word of its own.
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" ]] && ((cword > 1)); then
        prev=${words[cword - 2]}
    fi
    COMPREPLY=()

    # The value of an option.
    case $prev in
        --kubeconfig)
            _rollscope_files
            return 0
            ;;
        --timeline | --report | --csv)
            _rollscope_files
            return 0
            ;;
        --context)
            _rollscope_reply "$(_rollscope_candidates "$cmd" contexts)"
            return 0
            ;;
        -n | --namespace)
            _rollscope_reply "$(_rollscope_candidates "$cmd" namespaces)"
            return 0
            ;;
        --lang)
            _rollscope_reply "$("$cmd" __complete languages 2>/dev/null </dev/null)"
            return 0
            ;;
        -o | --output)
            _rollscope_reply $'wide\njson'
            return 0
            ;;
        --probe)
            _rollscope_reply $'auto\noff\nhttp://'
            [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == "http://" ]] &&
                { compopt -o nospace 2>/dev/null || :; }
            return 0
            ;;
        -v | --v | --image | --rate | --timeout | --demo-speed)
            return 0
            ;;
    esac

    # The command words typed so far (options and their values skipped).
    local -a positional=()
    local i word
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        case $word in
            --kubeconfig | --context | -n | --namespace | -o | --output | -v | --v | --image | \
                --probe | --rate | --timeline | --report | --csv | --timeout | --demo-speed | --lang)
                i=$((i + 1))
                [[ ${words[i]-} == "=" ]] && i=$((i + 1))
                ;;
            -* | "=") ;;
            *) positional+=("$word") ;;
        esac
    done

    local common='--help --version --kubeconfig --context --namespace -v --lang'
    if [[ $cur == -* ]]; then
        local options
        case ${positional[0]-} in
            get) options="$common --all-namespaces --output" ;;
            rollout) options="$common --image --probe --rate --timeline --report --csv --timeout" ;;
            "") options="$common --all-namespaces --output --image --probe --rate --timeline"
                options+=" --report --csv --timeout --demo --demo-speed" ;;
            *) options="$common --demo --demo-speed" ;;
        esac
        _rollscope_reply "${options// /$'\n'}"
        return 0
    fi

    local kinds=$'deployments\ndeployment\ndeploy'
    case ${#positional[@]}:${positional[0]-} in
        0:)
            # A command, or a saved timeline to open.
            local -a files=()
            local file
            _rollscope_reply $'get\nrollout'
            mapfile -t files < <(compgen -f -- "$cur")
            for file in "${files[@]}"; do
                if [[ -d $file || $file == *.json || $file == *.jsonl ]]; then
                    COMPREPLY+=("$file")
                    compopt -o filenames 2>/dev/null || :
                fi
            done
            ;;
        1:get)
            _rollscope_reply "$kinds"
            ;;
        1:rollout)
            if [[ $cur == */* ]]; then
                # deployment/NAME: keep what was typed before the slash.
                local kind=${cur%%/*} name out=""
                local -a names=()
                case $'\n'$kinds$'\n' in *$'\n'"$kind"$'\n'*) ;; *) return 0 ;; esac
                mapfile -t names < <(_rollscope_candidates "$cmd" deployments)
                for name in "${names[@]}"; do out+="$kind/$name"$'\n'; done
                _rollscope_reply "$out"
            else
                local -a names=()
                local name out=""
                mapfile -t names < <(_rollscope_candidates "$cmd" deployments)
                for name in "${names[@]}"; do out+="deployment/$name"$'\n'; done
                _rollscope_reply "$out"
                if ((${#COMPREPLY[@]} == 0)); then
                    # No cluster to ask: the kinds, to go on with "/" or " NAME".
                    _rollscope_reply "$kinds"
                fi
            fi
            ;;
        2:rollout)
            # kubectl's other spelling: rollout deployment NAME.
            case $'\n'$kinds$'\n' in
                *$'\n'"${positional[1]}"$'\n'*)
                    _rollscope_reply "$(_rollscope_candidates "$cmd" deployments)"
                    ;;
            esac
            ;;
    esac
    return 0
}
complete -F _rollscope rollscope
