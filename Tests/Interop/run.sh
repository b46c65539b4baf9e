#!/usr/bin/env bash
# Interop checks against Python Ethereum tooling, with pinned versions in a private virtualenv:
# `sankofa tx decode` against eth-account, and a web3.py dApp session against a real `sankofa dev`.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.build/interop-venv
if [ ! -x "$venv/bin/python" ] || ! cmp -s Tests/Interop/requirements.txt "$venv/requirements.installed"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt
    cp Tests/Interop/requirements.txt "$venv/requirements.installed"
fi
"$venv/bin/python" Tests/Interop/tx_decode_vs_eth_account.py .build/debug/sankofa
"$venv/bin/python" Tests/Interop/web3_smoke.py .build/debug/sankofa
