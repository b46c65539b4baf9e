#!/usr/bin/env bash
# eth_blockNumber latency while the node imports large blocks, against the same client alone, in the same run (issue
# 18: no client may starve another; a block import must not hold up reads). A dev node with 1 s blocks takes
# TRANSACTIONS from `sankofa bench tx` as fast as it accepts them while `wrk -t1 -c4` calls eth_blockNumber.
# Needs wrk (apt-get install -y wrk) and a release build (swift build -c release --product sankofa); SANKOFA=path
# runs another build, to compare two side by side.
#   Benchmarks/blocknumber-beside-imports.sh [TRANSACTIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/wrk-rpc.sh
transactions="${1:-60000}"
seconds="${2:-4}"
binary="${SANKOFA:-.build/release/sankofa}"
work="$(mktemp -d)"
rpc_port=$(free_port); ws_port=$(free_port)
cleanup() {
    [ -n "${bench:-}" ] && kill "$bench" 2>/dev/null || true
    [ -n "${node:-}" ] && kill "$node" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$binary" dev --data-path "$work/data" --rpc-http-port "$rpc_port" --rpc-ws-port "$ws_port" --block-period 1 \
    --logging WARN >"$work/node.log" 2>&1 &
node=$!
write_blocknumber_lua "$work/post.lua"
wait_for_rpc "$rpc_port"

victim() { wrk -t1 -c4 -d"${1}s" --latency -s "$work/post.lua" "http://127.0.0.1:$rpc_port/"; }
summary() { awk '/Requests\/sec/{r=$2} $1=="50%"{p50=$2} $1=="99%"{p99=$2} END{printf "%8.0f req/s  p50 %-9s p99 %-9s", r, p50, p99}'; }
alone=$(victim "$seconds")
"$binary" bench tx --rpc "http://127.0.0.1:$rpc_port" --txs "$transactions" --senders 1000 --mix transfer,identity \
    --timeout 30 >"$work/bench.out" 2>&1 &
bench=$!
sleep 1.5   # past signing, into sending and importing
beside=$(victim "$seconds")
wait "$bench"
bench=
printf 'eth_blockNumber alone          %s\n' "$(echo "$alone" | summary)"
printf 'eth_blockNumber beside imports %s\n' "$(echo "$beside" | summary)"
grep -E '^(confirmed|blocks)' "$work/bench.out"
