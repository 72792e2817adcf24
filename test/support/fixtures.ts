// Deterministic fixtures for tests: keys from fixed seeds and small builders for consensus objects.
// Test-only; never used by the node.

import { keyPairFromSeed, signEd25519 } from "../../consensus/crypto/ed25519.ts";
import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import type { BlockHeader, Vote, VoteBody } from "../../consensus/types.ts";

export const TEST_CHAIN_ID = 31337n;

export function seedBytes(n: number): Uint8Array {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(28, n);
  seed[0] = 0x5e;
  return seed;
}

export function testKey(n: number): { secretKey: Uint8Array; publicKey: Uint8Array } {
  return keyPairFromSeed(seedBytes(n));
}

export function filledHash(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

export function signVote(n: number, validator: number, body: VoteBody, chainId = TEST_CHAIN_ID): Vote {
  const { secretKey } = testKey(n);
  return { ...body, validator, signature: signEd25519(secretKey, voteSigningBytes(chainId, body)) };
}

export function sampleHeader(overrides: Partial<BlockHeader> = {}): BlockHeader {
  return {
    chainId: TEST_CHAIN_ID,
    height: 7,
    view: 9,
    parentHash: filledHash(0x11),
    timestampMs: 1_700_000_000_123,
    proposer: testKey(1).publicKey,
    stateRoot: filledHash(0x22),
    transactionsRoot: filledHash(0x33),
    evidenceRoot: ZERO_HASH,
    laneRoot: ZERO_HASH,
    ...overrides,
  };
}
