#!/usr/bin/env python3
"""`sankofa tx decode` against eth-account: transactions that eth-account signs must decode to the same hash,
sender and fields; corrupted ones must fail with one line on stderr and a non-zero exit.

Usage: tx_decode_vs_eth_account.py PATH_TO_SANKOFA
"""
import json
import random
import subprocess
import sys

from checks import Checks
from eth_account import Account
from eth_utils import to_checksum_address

SANKOFA = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/sankofa"
rng = random.Random(20261121)
CHECKS = Checks()
check = CHECKS.check


def decode(raw_hex):
    return subprocess.run([SANKOFA, "tx", "decode", raw_hex], capture_output=True, text=True)


def random_tx(kind):
    to = None if rng.random() < 0.1 else to_checksum_address(rng.randbytes(20))
    tx = {
        "nonce": rng.choice([0, 1, rng.randrange(2**32)]),
        "gas": rng.randrange(21000 + 5000, 10_000_000),
        "value": rng.choice([0, rng.randrange(2**80)]),
        "data": "0x" + rng.randbytes(rng.choice([0, 4, 36, 68, 300])).hex(),
        "chainId": rng.choice([1, 1337, 2026, rng.randrange(1, 2**40)]),
    }
    if to is not None:
        tx["to"] = to
    if kind == 0:
        tx["gasPrice"] = rng.choice([0, rng.randrange(2**40)])
    else:
        tx["accessList"] = [
            {"address": to_checksum_address(rng.randbytes(20)),
             "storageKeys": ["0x" + rng.randbytes(32).hex() for _ in range(rng.randrange(3))]}
            for _ in range(rng.randrange(3))
        ]
        if kind == 1:
            tx["type"] = 1
            tx["gasPrice"] = rng.randrange(2**40)
        else:
            tx["type"] = 2
            tx["maxFeePerGas"] = rng.randrange(1, 2**40)
            tx["maxPriorityFeePerGas"] = rng.randrange(tx["maxFeePerGas"])
    return tx


def main():
    for i in range(60):
        kind = i % 3
        account = Account.from_key(rng.randbytes(32))
        tx = random_tx(kind)
        signed = account.sign_transaction(tx)
        raw = signed.raw_transaction.hex()
        raw = raw if raw.startswith("0x") else "0x" + raw
        result = decode(raw)
        name = f"tx {i} type {kind}"
        if result.returncode != 0:
            check(name, False, result.stderr.strip())
            continue
        got = json.loads(result.stdout)
        expected = {
            "hash": "0x" + signed.hash.hex().removeprefix("0x"),
            "type": hex(kind),
            "from": account.address,
            "to": tx.get("to"),
            "nonce": hex(tx["nonce"]),
            "gas": hex(tx["gas"]),
            "value": hex(tx["value"]),
            "input": tx["data"],
            "chainId": hex(tx["chainId"]),
            "r": hex(signed.r),
            "s": hex(signed.s),
            "v": hex(signed.v),
        }
        if kind == 2:
            expected["maxFeePerGas"] = hex(tx["maxFeePerGas"])
            expected["maxPriorityFeePerGas"] = hex(tx["maxPriorityFeePerGas"])
        else:
            expected["gasPrice"] = hex(tx["gasPrice"])
        if kind != 0:
            expected["accessList"] = [
                {"address": e["address"], "storageKeys": e["storageKeys"]} for e in tx["accessList"]
            ]
        mismatches = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
        check(name, not mismatches, mismatches)

        # A truncated transaction must fail cleanly: non-zero exit, one line on stderr.
        truncated = decode(raw[:-2])
        check(name + " truncated", truncated.returncode != 0 and len(truncated.stderr.strip().splitlines()) == 1,
              truncated.stderr)
    return CHECKS.finish()


if __name__ == "__main__":
    sys.exit(main())
