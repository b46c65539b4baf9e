#!/usr/bin/env python3
"""A dApp developer's first session against `sankofa dev`, with web3.py and eth-account only: no contract is
deployed; the system contracts are called through the ABIs in Contracts/. Checks events, revert messages, logs by
filter, receipts, gas estimation and the usual chain reads.

Usage: web3_smoke.py PATH_TO_SANKOFA
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checks import Checks
from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.middleware import ExtraDataToPOAMiddleware

ROOT = Path(__file__).resolve().parents[2]
SANKOFA = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".build/debug/sankofa")
ADMIN = Account.from_key("0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3")   # every role, the board
USER = Account.from_key("0xae6ae8e5ccbfb04590405997ee2d52d2b330726137b875053c36d94e974d162f")    # funded, no roles
CHECKS = Checks()
check = CHECKS.check


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def contract(w3, name):
    abi = json.loads((ROOT / "Contracts" / f"{name}.json").read_text())
    address = json.loads((ROOT / "Contracts" / "addresses.json").read_text())[name]
    return w3.eth.contract(address=address, abi=abi)


def send(w3, account, fn):
    tx = fn.build_transaction({"from": account.address, "nonce": w3.eth.get_transaction_count(account.address, "pending"),
                               "chainId": w3.eth.chain_id})
    signed = account.sign_transaction(tx)
    tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    return w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10, poll_latency=0.05)


def main():
    http_port, ws_port = free_port(), free_port()
    data = tempfile.mkdtemp(prefix="sankofa-web3-")
    node = subprocess.Popen([SANKOFA, "dev", "--data-path", data, "--rpc-http-port", str(http_port), "--rpc-ws-port", str(ws_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        w3 = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{http_port}", request_kwargs={"timeout": 10}))
        # Clique puts the signer list and seal in extraData, as on Besu/geth PoA networks.
        w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
        for _ in range(100):
            try:
                if w3.is_connected():
                    break
            except Exception:
                pass
            time.sleep(0.05)
        run(w3)
    finally:
        node.send_signal(signal.SIGINT)
        try:
            node.wait(timeout=10)
        except subprocess.TimeoutExpired:
            node.kill()
            node.wait()
        check("node exits cleanly on SIGINT", node.returncode == 0, node.stderr.read().decode()[-500:] if node.stderr else "")
        shutil.rmtree(data, ignore_errors=True)
    return CHECKS.finish()


def run(w3):
    check("chain id", w3.eth.chain_id == 1337, w3.eth.chain_id)
    check("client version", w3.client_version.startswith("sankofa/"), w3.client_version)
    check("dev balance", w3.eth.get_balance(USER.address) > 0)
    start = w3.eth.block_number

    identity = contract(w3, "IdentityRegistry")
    governance = contract(w3, "Governance")
    did = Web3.keccak(text="did:sankofa:web3-user")

    # Views through eth_call.
    check("threshold()", governance.functions.threshold().call() == 1)
    check("boardMembers()", governance.functions.boardMembers().call() == [ADMIN.address])
    check("hasRole(ADMIN)", identity.functions.hasRole(Web3.keccak(text="ADMIN"), ADMIN.address).call() is True)

    # A state-changing call: estimate, send, receipt, event.
    fn = identity.functions.registerIdentity(did, "ipfs://user", Web3.keccak(text="attrs"))
    gas = fn.estimate_gas({"from": USER.address})
    check("estimate_gas", 21_000 < gas < 500_000, gas)
    receipt = send(w3, USER, fn)
    check("receipt status 1", receipt.status == 1, receipt)
    check("gas used == estimate", receipt.gasUsed == gas, (receipt.gasUsed, gas))
    events = identity.events.IdentityRegistered().process_receipt(receipt)
    check("IdentityRegistered event", len(events) == 1 and events[0].args.account == USER.address and events[0].args.did == did, events)
    info = identity.functions.identityOf(USER.address).call()
    check("identityOf", info[0] == did and info[1] == "ipfs://user" and info[3] is True, info)
    block = w3.eth.get_block(receipt.blockNumber, full_transactions=True)
    check("block holds the tx", block.transactions[0]["hash"] == receipt.transactionHash, block)
    tx = w3.eth.get_transaction(receipt.transactionHash)
    check("transaction by hash", tx["from"] == USER.address and tx["to"] == identity.address, tx)

    # Reverts: as a call (ContractLogicError with the reason) and as a mined transaction (status 0).
    try:
        identity.functions.grantRole(Web3.keccak(text="OPERATOR"), USER.address).call({"from": USER.address})
        check("revert on call", False, "no revert")
    except ContractLogicError as error:
        check("revert reason on call", "lacks role ADMIN" in str(error), str(error))
    grant = identity.functions.grantRole(Web3.keccak(text="OPERATOR"), USER.address)
    tx = grant.build_transaction({"from": USER.address, "gas": 200_000, "chainId": 1337,
                                  "nonce": w3.eth.get_transaction_count(USER.address, "pending")})
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(USER.sign_transaction(tx).raw_transaction),
                                                  timeout=10, poll_latency=0.05)
    check("reverted tx mined with status 0", receipt.status == 0 and len(receipt.logs) == 0 and receipt.gasUsed > 21_000, receipt)

    # The admin grants the role; logs by filter.
    receipt = send(w3, ADMIN, identity.functions.grantRole(Web3.keccak(text="OPERATOR"), USER.address))
    granted = identity.events.RoleGranted().process_receipt(receipt)
    check("RoleGranted", len(granted) == 1 and granted[0].args.sender == ADMIN.address, granted)
    logs = identity.events.RoleGranted().get_logs(from_block=start)
    check("get_logs by event", any(log.args.account == USER.address for log in logs), logs)
    topic_logs = w3.eth.get_logs({"fromBlock": start, "toBlock": "latest", "address": identity.address,
                                  "topics": [identity.events.IdentityRegistered().topic]})
    check("eth_getLogs by topic", len(topic_logs) == 1, topic_logs)
    check("hasRole after grant", identity.functions.hasRole(Web3.keccak(text="OPERATOR"), USER.address).call())

    # A filter installed before a transaction sees its log.
    flt = w3.eth.filter({"address": governance.address, "fromBlock": "latest"})
    send(w3, ADMIN, governance.functions.emergencyPause(contract(w3, "NodeRegistry").address))
    changes = w3.eth.get_filter_changes(flt.filter_id)
    check("filter changes", len(changes) == 1, changes)
    check("isPaused", governance.functions.isPaused(contract(w3, "NodeRegistry").address).call())

    # Business contracts through their ABIs.
    nodes = contract(w3, "NodeRegistry")
    try:
        nodes.functions.registerNode(Web3.keccak(text="n1"), Web3.keccak(text="z1"), "https://n1", 1).call({"from": ADMIN.address})
        check("paused contract refuses writes", False, "no revert")
    except ContractLogicError as error:
        check("paused contract refuses writes", "NodeRegistry is paused" in str(error), str(error))
    supply = contract(w3, "SupplyChain")
    serial = Web3.keccak(text="SN-1")
    receipt = send(w3, ADMIN, supply.functions.registerComponent(serial, "Dell", "R750", Web3.keccak(text="doc")))
    check("registerComponent", receipt.status == 1 and supply.functions.componentBySerial(serial).call() == 1, receipt)

    # Proof of a contract's storage against the block's state root.
    proof = w3.eth.get_proof(identity.address, [], "latest")
    check("eth_getProof", len(proof.accountProof) > 0 and proof.storageHash != b"\x00" * 32, proof)
    status = w3.geth.txpool.status()
    check("txpool empty", int(str(status["pending"]), 0) == 0 and int(str(status["queued"]), 0) == 0, status)


if __name__ == "__main__":
    sys.exit(main())
