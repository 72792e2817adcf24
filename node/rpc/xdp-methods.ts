// The chain-specific xdp_ namespace: node status, the validator set, peers, and account proofs against the
// finalized header's state root (verifiable with consensus/state/account-proof.ts verifyAccountProof).
// Status, validators and peers are passed through as the backend shapes them (JSON-serialisable by contract).

import { blockHash } from "../../consensus/codec/block-codec.ts";
import { encodeStateProof } from "../../consensus/state/state-proof.ts";
import { formatAddress, formatData, formatQuantity } from "./hex.ts";
import type { MethodHandler, MethodTable } from "./method-context.ts";
import { RpcError } from "./rpc-error.ts";
import { addressParam, expectArity } from "./rpc-params.ts";

const getAccountProof: MethodHandler = (params, { backend }) => {
  expectArity(params, 1, 1);
  const address = addressParam(params, 0, "address");
  const p = backend.accountProof(address);
  if (!p) throw new RpcError("RPC_ERROR_RESOURCE_NOT_FOUND", "no account proof available: the node has no finalized state yet");
  return {
    address: formatAddress(address),
    balance: formatQuantity(p.balance),
    nonce: formatQuantity(p.nonce),
    blockNumber: formatQuantity(p.header.height),
    blockHash: formatData(blockHash(p.header)),
    stateRoot: formatData(p.header.stateRoot),
    proof: {
      siblings: p.proof.siblings.map(formatData),
      otherLeaf: p.proof.otherLeaf ? { path: formatData(p.proof.otherLeaf.path), valueHash: formatData(p.proof.otherLeaf.valueHash) } : null,
    },
    /** The same proof in its binary encoding (state-proof.ts encodeStateProof). */
    encodedProof: formatData(encodeStateProof(p.proof)),
  };
};

function passThrough(read: (b: Parameters<MethodHandler>[1]["backend"]) => unknown): MethodHandler {
  return (params, { backend }) => {
    expectArity(params, 0, 0);
    return read(backend);
  };
}

export const XDP_METHODS: MethodTable = new Map<string, MethodHandler>([
  ["xdp_status", passThrough((b) => b.status())],
  ["xdp_validators", passThrough((b) => b.validators())],
  ["xdp_peers", passThrough((b) => b.peers())],
  ["xdp_getAccountProof", getAccountProof],
]);
