#!/usr/bin/env bash
# Builds the libFuzzer executable (one binary, every target) and runs each target for SECONDS (default 20).
# Fails on any crash, leak, timeout or out-of-memory; the offending input is kept under
# .build-fuzz/artifacts/<target>/ (turn it into a regression test in the matching Tests/ target).
#   Fuzz/run.sh [-c debug|release] [SECONDS] [TARGET...]      e.g. Fuzz/run.sh 600 rlp json
# Release (the default) runs several times more inputs a second; debug builds in a third of the time from clean,
# which is what CI uses for its short runs. Seeds come from ../shared/vectors when present; the growing corpus
# lives in .build-fuzz/corpus/<target>. Targets run FUZZ_JOBS at a time (default: one per core).
set -euo pipefail
cd "$(dirname "$0")"
configuration=release
if [ "${1:-}" = "-c" ]; then
    configuration="$2"
    shift 2
fi
seconds="${1:-20}"
shift || true
scratch="$(pwd)/../.build-fuzz"
vectors="${SANKOFA_VECTORS:-$(pwd)/../../shared/vectors}"

swift build -c "$configuration" --scratch-path "$scratch" --product sankofa-fuzz -Xswiftc -sanitize=fuzzer,address
binary="$(swift build -c "$configuration" --scratch-path "$scratch" --show-bin-path)/sankofa-fuzz"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(SANKOFA_FUZZ_TARGET=list "$binary" | cut -f1)
fi

seeds="$scratch/seeds"
rm -rf "$seeds"
if [ -d "$vectors" ]; then
    python3 seeds.py "$vectors" .. "$seeds"
else
    echo "fuzz: $vectors not found, starting from empty corpora"
fi

# The Swift runtime's own crash backtracer fights ASan; libFuzzer's report is the one we want.
export SWIFT_BACKTRACE=enable=no
# One-time global initialisation and one known TOMLKit leak are not ours to fix (see lsan.supp).
export LSAN_OPTIONS="suppressions=$(pwd)/lsan.supp:print_suppressions=0"
# One target on one core: libFuzzer runs a single process, so targets run side by side, one per core, and each
# still gets a whole core for its SECONDS.
fuzz_one() {
    local target="$1" corpus="$scratch/corpus/$1" artifacts="$scratch/artifacts/$1/" log="$scratch/logs/$1.log"
    local extra=() status
    rm -f "$log.status"
    mkdir -p "$corpus" "$artifacts" "$seeds/$target" "$(dirname "$log")"
    # TOMLKit leaks a little on every parse (see lsan.supp), so LeakSanitizer would scan the whole heap after every
    # input (150 inputs a second instead of thousands): the toml target runs without leak detection, still
    # catching crashes, memory errors and hangs.
    [ "$target" = toml ] && extra+=(-detect_leaks=0)
    set +e
    SANKOFA_FUZZ_TARGET="$target" "$binary" "$corpus" "$seeds/$target" "${extra[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536  \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1
    status=$?
    set -e
    echo "$status" >"$log.status"
}

parallel="${FUZZ_JOBS:-$(nproc)}"
for target in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
    fuzz_one "$target" &
done
wait

failed=()
for target in "${targets[@]}"; do
    log="$scratch/logs/$target.log"
    status=$(cat "$log.status" 2>/dev/null || echo "?")
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    printf 'fuzz %-16s %ss  exit %s  %s execs  %s/s\n' "$target" "$seconds" "$status" "${runs:-?}" "${rate:-?}"
    if [ "$status" != 0 ]; then
        failed+=("$target")
        tail -40 "$log"
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs under $scratch/artifacts/)"
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s with no crash, leak or timeout"
