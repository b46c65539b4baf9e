#!/usr/bin/env bash
# eth_blockNumber over keep-alive HTTP against nginx answering a fixed JSON body, in the same run (issue 18's
# transport goal: at least 0.5x nginx). Needs wrk and nginx (apt-get install -y wrk nginx) and a release build
# (swift build -c release --product sankofa). Run on a quiet machine: wrk and both servers share the cores.
#   Benchmarks/http-vs-nginx.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/wrk-rpc.sh
seconds="${1:-8}"
connections="${2:-50}"
work="$(mktemp -d)"
nginx_port=$(free_port); rpc_port=$(free_port); ws_port=$(free_port)
cleanup() {
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    [ -n "${node:-}" ] && kill "$node" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type application/json; return 200 '{"jsonrpc":"2.0","id":1,"result":"0x0"}'; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
.build/release/sankofa dev --data-path "$work/data" --rpc-http-port "$rpc_port" --rpc-ws-port "$ws_port" --logging WARN >"$work/node.log" 2>&1 &
node=$!
write_blocknumber_lua "$work/post.lua"
wait_for_rpc "$rpc_port"

run() { wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "$1"; }
rate() { sed -n 's/^Requests\/sec: *//p'; }
for round in 1 2; do
    n=$(run "http://127.0.0.1:$nginx_port/"); s=$(run "http://127.0.0.1:$rpc_port/")
    nr=$(echo "$n" | rate); sr=$(echo "$s" | rate)
    printf 'round %s  nginx %8.0f req/s p99 %-8s  sankofa %8.0f req/s p50 %-8s p99 %-8s  ratio %.2f\n' "$round" \
        "$nr" "$(echo "$n" | awk '$1=="99%"{print $2}')" "$sr" "$(echo "$s" | awk '$1=="50%"{print $2}')" \
        "$(echo "$s" | awk '$1=="99%"{print $2}')" "$(echo "$sr / $nr" | bc -l)"
done
