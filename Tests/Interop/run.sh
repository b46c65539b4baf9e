#!/usr/bin/env bash
# Interop checks against Python Ethereum tooling, with pinned versions in a private virtualenv.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.build/interop-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt
fi
"$venv/bin/python" Tests/Interop/tx_decode_vs_eth_account.py .build/debug/sankofa
