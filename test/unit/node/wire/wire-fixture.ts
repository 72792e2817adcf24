// Test fixture for the data-plane wire format: real ed25519 validator keys, signed votes and certificates,
// proposals of a chosen block size, and a seeded shuffle. Test-only.

import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../../../consensus/codec/vote-codec.ts";
import { signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import type { Proposal } from "../../../../consensus/simplex/types.ts";
import { LIMITS, VoteKind, type Block, type Certificate, type PublicKey, type Vote, type VoteBody } from "../../../../consensus/types.ts";
import { createNodeEd25519Verify } from "../../../../node/crypto/ed25519-node.ts";
import { seededRandom } from "../../../../node/net/seeded-random.ts";
import { TEST_CHAIN_ID, sampleHeader, testKey } from "../../../support/fixtures.ts";

export const CHAIN_ID = TEST_CHAIN_ID;
export const VALIDATORS = 8;
export const keys = Array.from({ length: VALIDATORS }, (_, i) => testKey(100 + i));
export const verify = createNodeEd25519Verify();

export function signer(index: number): (message: Uint8Array) => Uint8Array {
  const { secretKey } = keys[index]!;
  return (message) => signEd25519(secretKey, message);
}

/** Every validator's key for every view (one static epoch). */
export function leaderKey(_view: number, index: number): PublicKey | undefined {
  return keys[index]?.publicKey;
}

export function vote(index: number, body: VoteBody): Vote {
  return { ...body, validator: index, signature: signer(index)(voteSigningBytes(CHAIN_ID, body)) };
}

/** A certificate whose signer list repeats real signatures, `signers` long (indices need not be real keys). */
export function certificate(view: number, signers: number): Certificate {
  const body = { kind: VoteKind.Nullify, view, blockHash: ZERO_HASH };
  const signature = vote(0, body).signature;
  return { ...body, signers: Array.from({ length: signers }, (_, i) => ({ validator: i, signature })) };
}

/** Deterministic bytes that differ from position to position. */
export function patternBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A block whose transactions add up to about `bytes` (maximal transactions, then the remainder). */
export function blockOfSize(view: number, bytes: number, seed = 1): Block {
  const transactions: Uint8Array[] = [];
  for (let left = bytes, k = 0; left > 0; k++) {
    const n = Math.min(left, LIMITS.maxTransactionBytes);
    transactions.push(patternBytes(n, seed * 1000 + k));
    left -= n;
  }
  return {
    header: sampleHeader({ view, height: view, proposer: keys[view % VALIDATORS]!.publicKey }),
    transactions,
    evidence: [],
    parentNotarization: view > 1 ? certificate(view - 1, 3) : null,
  };
}

export function proposalOfSize(view: number, bytes: number, seed = 1): Proposal {
  const block = blockOfSize(view, bytes, seed);
  const leader = view % VALIDATORS;
  return {
    view,
    parentView: view - 1,
    block,
    vote: vote(leader, { kind: VoteKind.Notarize, view, blockHash: blockHash(block.header) }),
    certificates: view > 2 ? [certificate(view - 2, 5)] : [],
  };
}

/** Fisher-Yates with a seeded generator. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
