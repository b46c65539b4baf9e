#!/usr/bin/env python3
"""Writes libFuzzer seed directories for every sankofa-fuzz target from ../shared/vectors (read in place, never
copied into the repository) and the repository's own Genesis files. Usage: seeds.py VECTORS_DIR REPO_DIR OUT_DIR"""
import hashlib, json, os, re, sys

vectors, repo, out = sys.argv[1], sys.argv[2], sys.argv[3]
HEX = re.compile(r'^(0x)?([0-9a-fA-F]{2})+$')
MAX_SEEDS, MAX_SIZE = 400, 1 << 16


def hex_values(node):
    """Every even-length hex string anywhere in a JSON document, decoded."""
    if isinstance(node, dict):
        for value in node.values():
            yield from hex_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from hex_values(value)
    elif isinstance(node, str) and len(node) >= 2 and HEX.match(node):
        yield bytes.fromhex(node[2:] if node.startswith('0x') else node)


def json_files(*folders):
    for folder in folders:
        root = os.path.join(vectors, folder)
        for dirpath, _, names in os.walk(root):
            for name in sorted(names):
                if name.endswith('.json'):
                    yield os.path.join(dirpath, name)


def blobs(*folders):
    for path in json_files(*folders):
        try:
            with open(path) as f:
                yield from hex_values(json.load(f))
        except (ValueError, UnicodeDecodeError):
            continue


def write(target, seeds):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    count = 0
    for seed in seeds:
        if len(seed) > MAX_SIZE:
            continue
        with open(os.path.join(folder, hashlib.sha1(seed).hexdigest()), 'wb') as f:
            f.write(seed)
        count += 1
        if count >= MAX_SEEDS:
            break


def small_json_texts():
    for path in json_files('rlp', 'abi', 'rlpx', 'transactions/ethereumjs', 'headers/rpc-blocks', 'qbft', 'clique'):
        with open(path, 'rb') as f:
            data = f.read()
        if len(data) <= MAX_SIZE:
            yield data
    for name in sorted(os.listdir(os.path.join(repo, 'Genesis'))):
        with open(os.path.join(repo, 'Genesis', name), 'rb') as f:
            yield f.read()


requests = [b'{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}',
            b'[{"jsonrpc":"2.0","id":1,"method":"net_version"},{"jsonrpc":"2.0","method":"x"}]',
            b'{"jsonrpc":"2.0","id":"a","method":"eth_getBalance","params":["0x00","latest"]}', b'[]', b'{',
            b'{"jsonrpc":"2.0","id":2,"method":"eth_chainId"}',
            b'{"jsonrpc":"2.0","id":3,"method":"web3_sha3","params":["0x68656c6c6f"]}']
toml = [b'rpc-http-enabled = true\nrpc-http-port = 8545\nrpc-http-api = ["ETH","NET"]\n',
        b'data-path = "/tmp/x"\np2p-port = 30303\nbootnodes = ["enode://aa@127.0.0.1:30303"]\n',
        b'[section]\nkey = 1.5\nother = 1979-05-27T07:32:00Z\n']

write('rlp', blobs('rlp', 'headers', 'transactions'))
write('transaction', blobs('transactions'))
write('header', blobs('headers'))
write('block', blobs('headers', 'transactions/ethereumjs'))
write('json', small_json_texts())
write('jsonrpc', requests + list(small_json_texts())[:50])
http = [b'POST / HTTP/1.1\r\nHost: 127.0.0.1:8545\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' % (len(r), r)
        for r in requests[:3]]
write('http', http + [b''.join(http),
                      b'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n4;x=y\r\n{"a"\r\n2\r\n:1\r\n1\r\n}\r\n0\r\nT: v\r\n\r\n',
                      b'\r\nGET /readiness?minPeers=0 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nOPTIONS / HTTP/1.1\r\nOrigin: https://a\r\n\r\n',
                      b'POST /login HTTP/1.1\r\nAuthorization: Bearer x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}'])
write('genesis', small_json_texts())
write('toml', toml)
write('abi', (bytes([i % 11, i % 7, i % 5]) + blob for i, blob in enumerate(blobs('abi'))))
write('rlpx-frame', (bytes([i % 2 * 1, 0]) + blob[:512] for i, blob in enumerate(blobs('rlpx'))))
write('rlpx-handshake', (bytes([i % 6]) + blob for i, blob in enumerate(blobs('rlpx'))))
write('eth', (bytes([i % 13]) + blob for i, blob in enumerate(blobs('headers', 'transactions/ethereumjs', 'rlpx'))))
write('light', (bytes([i % 14]) + blob for i, blob in enumerate(blobs('headers', 'transactions/ethereumjs', 'trie'))))
write('qbft', (bytes([i % 4]) + blob for i, blob in enumerate(blobs('qbft', 'headers'))))
