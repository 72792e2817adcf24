// Which vote pairs are evidence: same key and view, truly conflicting, both signatures valid; and against state,
// a key with slashable stake not already slashed for that view.
import { describe, expect, it } from "vitest";
import { voteSigningBytes } from "../../../../consensus/codec/vote-codec.ts";
import { nobleVerify, signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { isConflictingPair, validateEvidence } from "../../../../consensus/execution/evidence-validation.ts";
import { createGenesisState } from "../../../../consensus/execution/genesis-state.ts";
import { type Evidence, VoteKind, type VoteBody } from "../../../../consensus/types.ts";
import { doubleNotarize, testGenesis } from "../../../support/execution-fixtures.ts";
import { TEST_CHAIN_ID, filledHash, testKey } from "../../../support/fixtures.ts";

const N = VoteKind.Notarize;
const X = VoteKind.Nullify;
const F = VoteKind.Finalize;
const body = (kind: VoteKind, view: number, b: number): VoteBody => ({ kind, view, blockHash: kind === X ? ZERO_HASH : filledHash(b) });

function evidence(keyN: number, a: VoteBody, b: VoteBody): Evidence {
  const { secretKey, publicKey } = testKey(keyN);
  const sign = (v: VoteBody) => ({ ...v, signature: signEd25519(secretKey, voteSigningBytes(TEST_CHAIN_ID, v)) });
  return { publicKey, first: sign(a), second: sign(b) };
}

const state = createGenesisState(testGenesis());
const ctx = { chainId: TEST_CHAIN_ID, ed25519Verify: nobleVerify, state };
const codeOf = (ev: Evidence, c: Parameters<typeof validateEvidence>[1] = ctx) => {
  const v = validateEvidence(ev, c);
  return v.action === "accept" ? "accept" : `${v.action}:${v.code}`;
};

describe("evidence", () => {
  it("conflicting pairs are exactly those an honest Simplex validator never signs", () => {
    expect(isConflictingPair(body(N, 3, 1), body(N, 3, 2))).toBe(true);
    expect(isConflictingPair(body(F, 3, 1), body(F, 3, 2))).toBe(true);
    expect(isConflictingPair(body(X, 3, 0), body(F, 3, 2))).toBe(true);
    expect(isConflictingPair(body(F, 3, 2), body(X, 3, 0))).toBe(true);
    expect(isConflictingPair(body(N, 3, 1), body(N, 3, 1))).toBe(false);
    expect(isConflictingPair(body(N, 3, 1), body(X, 3, 0))).toBe(false); // notarize then time out: honest
    expect(isConflictingPair(body(N, 3, 1), body(F, 3, 1))).toBe(false);
    expect(isConflictingPair(body(N, 3, 1), body(N, 4, 2))).toBe(false);
  });

  it("accepts valid evidence of each kind", () => {
    expect(codeOf(doubleNotarize(1, 5))).toBe("accept");
    expect(codeOf(evidence(1, body(F, 5, 1), body(F, 5, 2)))).toBe("accept");
    expect(codeOf(evidence(1, body(X, 5, 0), body(F, 5, 2)))).toBe("accept");
  });

  it("rejects different views, non-conflicting pairs and bad signatures", () => {
    expect(codeOf(evidence(1, body(N, 5, 1), body(N, 6, 2)))).toBe("reject:EVIDENCE_ERROR_DIFFERENT_VIEWS");
    expect(codeOf(evidence(1, body(N, 5, 1), body(X, 5, 0)))).toBe("reject:EVIDENCE_ERROR_NOT_CONFLICTING");
    const ev = doubleNotarize(1, 5);
    const bad = { ...ev, second: { ...ev.second, signature: ev.first.signature } };
    expect(codeOf(bad)).toBe("reject:EVIDENCE_ERROR_INVALID_SIGNATURE");
    const otherKey = { ...ev, publicKey: testKey(2).publicKey };
    expect(codeOf(otherKey)).toBe("reject:EVIDENCE_ERROR_INVALID_SIGNATURE");
    expect(codeOf(ev, { ...ctx, chainId: 1n })).toBe("reject:EVIDENCE_ERROR_INVALID_SIGNATURE");
  });

  it("ignores keys without a staking record; accepts shape-only checks without state", () => {
    expect(codeOf(doubleNotarize(9, 5))).toBe("ignore:EVIDENCE_ERROR_UNKNOWN_VALIDATOR");
    expect(codeOf(doubleNotarize(9, 5), { chainId: TEST_CHAIN_ID, ed25519Verify: nobleVerify })).toBe("accept");
  });
});
