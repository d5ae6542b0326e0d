#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every libFuzzer target in tests/fuzz for a bounded time, each on a fresh copy of its seed
# corpus (corpora.txt) plus its regressions/<target>/ reproducers, which are first replayed
# once. ./test.sh runs it for about a minute in all, after the rest of the suite.
#
# Build (clang, ASan + UBSan, libFuzzer; a build folder of its own, build-fuzz/):
#     cmake --preset fuzz && cmake --build --preset fuzz
# Run:
#     tests/fuzz/run.sh [SECONDS] [TARGET...]     SECONDS per target (default 10), all targets
#     tests/fuzz/run.sh --total 60                 about 60 s of wall time for all of them
#   Environment: FUZZ_JOBS targets at a time (default: 2, or 1 on a single core),
#   FUZZ_BUILD_DIR (default build-fuzz), FUZZ_KEEP_CORPUS=DIR keeps the grown corpora in
#   DIR/<target>/ (and starts from them when they exist), FUZZ_ARGS extra libFuzzer flags.
#
# Fuzzing longer by hand, e.g. an hour on the watch parser with a corpus that persists:
#     mkdir -p ~/fuzz/watch && cp tests/fuzz/seeds/watch/* ~/fuzz/watch/
#     build-fuzz/bin/fuzz_watch ~/fuzz/watch -max_total_time=3600 -max_len=65536 \
#         -rss_limit_mb=2048 -timeout=10 -jobs=2 -workers=2 -artifact_prefix=/tmp/
#   (or: FUZZ_KEEP_CORPUS=~/fuzz tests/fuzz/run.sh 3600 watch). Targets are listed in
#   corpora.txt; `build-fuzz/bin/fuzz_<target> FILE` replays one input with a full report.
#
# A crash: libFuzzer writes the input to build-fuzz/fuzz-artifacts/<target>/crash-<sha1> (or
# leak-, timeout-, oom-). Keep it as tests/fuzz/regressions/<target>/<what-it-is>; it is then
# replayed here and by the normal build's ctest (fuzz_replay_<target>, GCC + sanitizers).
set -euo pipefail

# All in a function: bash reads it whole, so editing this file does not upset a run.
main() {
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    root=$(cd "$here/../.." && pwd)
    build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
    case "$build" in /*) ;; *) build=$root/$build ;; esac

    cores=$(nproc 2>/dev/null || echo 1)
    jobs=${FUZZ_JOBS:-$((cores >= 2 ? 2 : 1))}
    seconds=10
    total=""
    if [ "${1:-}" = "--total" ]; then
        total=$2
        shift 2
    elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
        seconds=$1
        shift
    fi

    all_targets=()
    declare -A seeds
    while read -r target dirs; do
        case "$target" in ''|'#'*) continue ;; esac
        all_targets+=("$target")
        seeds[$target]=$dirs
    done < "$here/corpora.txt"
    targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
    for t in "${targets[@]}"; do
        [ -n "${seeds[$t]+x}" ] || { echo "run.sh: unknown fuzz target $t (see corpora.txt)" >&2; exit 2; }
        [ -x "$build/bin/fuzz_$t" ] || {
            echo "run.sh: $build/bin/fuzz_$t is missing; build with: cmake --preset fuzz && cmake --build --preset fuzz" >&2
            exit 2
        }
    done
    if [ -n "$total" ]; then
        # Targets run $jobs at a time; a few seconds go to starting and loading the corpora.
        rounds=$(( (${#targets[@]} + jobs - 1) / jobs ))
        seconds=$(( total / rounds - 1 ))
        [ "$seconds" -ge 2 ] || seconds=2
    fi

    work=$(mktemp -d "${TMPDIR:-/tmp}/rollscope-fuzz.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    artifacts=$build/fuzz-artifacts

    export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/support/lsan.supp:print_suppressions=0}
    export QT_QPA_PLATFORM=offscreen

    # run_target TARGET: replays the regressions, then fuzzes; output in $work/TARGET.log.
    run_target() {
        local t=$1 corpus log max_len=8192 size
        log=$work/$t.log
        if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
            corpus=$FUZZ_KEEP_CORPUS/$t
        else
            corpus=$work/corpus-$t
        fi
        mkdir -p "$corpus" "$artifacts/$t"
        local dir
        for dir in ${seeds[$t]}; do
            # Flattened: libFuzzer reads only the top level of a corpus folder.
            find "$root/$dir" -type f -print0 | while IFS= read -r -d '' f; do
                cp "$f" "$corpus/seed-$(printf '%s' "${f#"$root"/}" | tr '/' '_')"
            done
        done
        # The largest seed sets -max_len (at least 8 KiB): seeds are not cut short.
        size=$(find "$corpus" -type f -printf '%s\n' | sort -n | tail -1)
        [ "${size:-0}" -le "$max_len" ] || max_len=$size
        local flags=(-rss_limit_mb=2048 -timeout=10 -max_len="$max_len"
                     -artifact_prefix="$artifacts/$t/" -print_final_stats=1)
        local regressions=()
        if [ -d "$here/regressions/$t" ]; then
            mapfile -t regressions < <(find "$here/regressions/$t" -type f | sort)
        fi
        if [ ${#regressions[@]} -gt 0 ]; then
            if ! TMPDIR=$work "$build/bin/fuzz_$t" "${flags[@]}" "${regressions[@]}" \
                > "$log.replay" 2>&1; then
                cat "$log.replay" > "$log"
                echo "REGRESSION: a reproducer in tests/fuzz/regressions/$t/ fails again" >> "$log"
                return 1
            fi
        fi
        # Files a target writes (fuzz_kubeconfig's input) go to a folder removed afterwards.
        mkdir -p "$work/tmp-$t"
        # shellcheck disable=SC2086
        TMPDIR=$work/tmp-$t "$build/bin/fuzz_$t" "${flags[@]}" -max_total_time="$seconds" \
            ${FUZZ_ARGS:-} "$corpus" > "$log" 2>&1
    }

    echo "Fuzzing ${#targets[@]} targets for ${seconds} s each, $jobs at a time (tests/fuzz/run.sh)"
    started=$SECONDS
    declare -A pids
    for t in "${targets[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
            wait -n || true
        done
        run_target "$t" &
        pids[$t]=$!
    done
    failed=()
    for t in "${targets[@]}"; do
        if wait "${pids[$t]}"; then
            log=$work/$t.log
            runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log")
            execs=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log")
            rss=$(sed -nE 's/^stat::peak_rss_mb: *([0-9]+).*/\1/p' "$log")
            cov=$(grep -oE ' cov: [0-9]+' "$log" | tail -1 | tr -dc '0-9')
            printf '  %-16s ok  %9s runs %7s exec/s  cov %6s  rss %5s MB\n' "$t" "${runs:-?}" \
                "${execs:-?}" "${cov:-?}" "${rss:-?}"
        else
            printf '  %-16s FAILED\n' "$t"
            failed+=("$t")
        fi
    done
    echo "Fuzzing took $((SECONDS - started)) s"
    if [ ${#failed[@]} -gt 0 ]; then
        for t in "${failed[@]}"; do
            echo "==================== fuzz_$t ====================" >&2
            grep -vE '^#[0-9]+ +(NEW|REDUCE|pulse|INITED)' "$work/$t.log" | tail -60 >&2
            echo "Reproducers: $artifacts/$t/ (keep one as tests/fuzz/regressions/$t/<name>)" >&2
        done
        exit 1
    fi
}

main "$@"
