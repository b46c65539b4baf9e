# Shared by the wrk-based benchmark scripts (sourced, not run): a free port, the eth_blockNumber request as a wrk
# script, and a wait until a node answers it.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

blocknumber_body='{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}'

# Writes the wrk script that POSTs eth_blockNumber to FILE.
write_blocknumber_lua() {
    cat > "$1" <<LUA
wrk.method = "POST"
wrk.body = '$blocknumber_body'
wrk.headers["Content-Type"] = "application/json"
LUA
}

# Waits up to 10 s for the node on PORT to answer eth_blockNumber.
wait_for_rpc() {
    for _ in $(seq 1 100); do
        curl -sf -XPOST -H 'Content-Type: application/json' --data "$blocknumber_body" "http://127.0.0.1:$1/" >/dev/null && return 0
        sleep 0.1
    done
    echo "the node on port $1 did not answer within 10 s" >&2
    return 1
}
