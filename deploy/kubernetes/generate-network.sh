#!/bin/sh
# Generates a new network for these manifests: one node key per core validator, the QBFT genesis naming them, the
# BOOTNODES list (DNS enode URLs of the validator pods) and the Secret holding the keys.
#
#   deploy/kubernetes/generate-network.sh [VALIDATORS=4] [CHAIN_ID=2026] [NAMESPACE=sankofa]
#
# Writes base/network/genesis.json and base/network/peers.env (commit these) and secrets/validator-keys.yaml
# (never commit it: apply it with kubectl, or put the keys in your secret store). Needs `sankofa` on PATH.
set -eu
validators=${1:-4}
chain_id=${2:-2026}
namespace=${3:-sankofa}
here=$(cd "$(dirname "$0")" && pwd)
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT
mkdir -p "$here/secrets"
addresses=""
bootnodes=""
secret="apiVersion: v1
kind: Secret
metadata:
  name: sankofa-validator-keys
  namespace: $namespace
type: Opaque
stringData:"
i=0
while [ "$i" -lt "$validators" ]; do
  name="sankofa-validator-$i"
  sankofa keys generate --output "$keys/$name" >/dev/null
  addresses="$addresses --validator $(sankofa keys address --key-file "$keys/$name")"
  enode=$(sankofa keys enode --key-file "$keys/$name" --host "$name.sankofa-validator.$namespace.svc.cluster.local" --port 30303)
  bootnodes="${bootnodes:+$bootnodes,}$enode"
  secret="$secret
  $name: \"$(cat "$keys/$name")\""
  i=$((i + 1))
done
# shellcheck disable=SC2086 # one --validator flag per address
sankofa genesis new --consensus qbft --chain-id "$chain_id" --block-period 2 $addresses --output "$here/base/network/genesis.json"
printf 'BOOTNODES=%s\n' "$bootnodes" > "$here/base/network/peers.env"
printf '%s\n' "$secret" > "$here/secrets/validator-keys.yaml"
chmod 600 "$here/secrets/validator-keys.yaml"
echo "Wrote base/network/genesis.json, base/network/peers.env and secrets/validator-keys.yaml ($validators validators)."
echo "Next: kubectl apply -f $here/secrets/validator-keys.yaml && kubectl apply -k $here/overlays/core"
