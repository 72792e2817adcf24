// The state tree: its root depends only on the set of entries (not on update order or batching), deletes
// restore earlier roots, snapshots stay untouched by later updates, and proofs verify only what is true.
import { describe, expect, it } from "vitest";
import { ZERO_HASH, toHex } from "../../../../consensus/crypto/hash.ts";
import { WorldState } from "../../../../consensus/state/world-state.ts";
import { decodeStateProof, encodeStateProof, verifyStateProof } from "../../../../consensus/state/state-proof.ts";
import { proveAccount, verifyAccountProof } from "../../../../consensus/state/account-proof.ts";
import { encodeAccount } from "../../../../consensus/state/account.ts";
import { accountKey } from "../../../../consensus/state/state-keys.ts";

const key = (i: number) => Uint8Array.of(0x09, i >> 8, i & 0xff);
const val = (i: number, salt = 0) => Uint8Array.of(i & 0xff, salt, 7);

function build(indices: number[], batch = 1): WorldState {
  let s = WorldState.EMPTY;
  for (let i = 0; i < indices.length; i += batch) {
    s = s.apply(indices.slice(i, i + batch).map((j) => ({ key: key(j), value: val(j) })));
  }
  return s;
}

describe("sparse Merkle state tree", () => {
  it("the empty tree has the zero root", () => expect(WorldState.EMPTY.stateRoot).toEqual(ZERO_HASH));

  it("root depends on the entries only, not on order or batching", () => {
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const reversed = [...ids].reverse();
    const a = build(ids, 1).stateRoot;
    expect(toHex(build(reversed, 7).stateRoot)).toBe(toHex(a));
    expect(toHex(build(ids, 200).stateRoot)).toBe(toHex(a));
  });

  it("deleting entries gives the root of the tree that never had them", () => {
    const full = build(Array.from({ length: 50 }, (_, i) => i));
    const pruned = full.apply(Array.from({ length: 25 }, (_, i) => ({ key: key(i * 2), value: null })));
    const direct = build(Array.from({ length: 25 }, (_, i) => i * 2 + 1));
    expect(toHex(pruned.stateRoot)).toBe(toHex(direct.stateRoot));
    const all = pruned.apply(Array.from({ length: 50 }, (_, i) => ({ key: key(i), value: null })).filter((_, i) => i % 2 === 1));
    expect(all.stateRoot).toEqual(ZERO_HASH);
  });

  it("deleting an absent key changes nothing", () => {
    const s = build([1, 2, 3]);
    expect(toHex(s.apply([{ key: key(99), value: null }]).stateRoot)).toBe(toHex(s.stateRoot));
  });

  it("snapshots are immutable and share structure", () => {
    const a = build([1, 2, 3]);
    const rootA = toHex(a.stateRoot);
    const b = a.apply([{ key: key(2), value: val(2, 9) }]);
    expect(toHex(a.stateRoot)).toBe(rootA);
    expect(a.get(key(2))).toEqual(val(2));
    expect(b.get(key(2))).toEqual(val(2, 9));
    expect(b.get(key(4))).toBeUndefined();
  });

  it("fromEntries rebuilds the same root from a snapshot's entries", () => {
    const s = build(Array.from({ length: 100 }, (_, i) => i));
    expect(toHex(WorldState.fromEntries(s.entries()).stateRoot)).toBe(toHex(s.stateRoot));
  });

  it("membership and non-membership proofs verify; tampered ones do not", () => {
    const s = build(Array.from({ length: 64 }, (_, i) => i));
    const root = s.stateRoot;
    for (const i of [0, 17, 63]) {
      const proof = s.prove(key(i));
      expect(verifyStateProof(root, key(i), val(i), proof)).toBe(true);
      expect(verifyStateProof(root, key(i), val(i, 1), proof)).toBe(false);
      expect(verifyStateProof(root, key(i), null, proof)).toBe(false);
      if (proof.siblings.length > 0) {
        const bad = proof.siblings.map((h) => h.slice());
        bad[0]![0]! ^= 1;
        expect(verifyStateProof(root, key(i), val(i), { ...proof, siblings: bad })).toBe(false);
        expect(verifyStateProof(root, key(i), val(i), { ...proof, siblings: proof.siblings.slice(1) })).toBe(false);
      }
      const round = decodeStateProof(encodeStateProof(proof));
      expect(round.ok && verifyStateProof(root, key(i), val(i), round.value)).toBe(true);
    }
    for (const i of [500, 501, 999]) {
      const proof = s.prove(key(i));
      expect(verifyStateProof(root, key(i), null, proof)).toBe(true);
      expect(verifyStateProof(root, key(i), val(i), proof)).toBe(false);
    }
  });

  it("an absence proof cannot be made from another key's leaf", () => {
    const s = build([1, 2]);
    const proof = s.prove(key(1));
    const otherProof = s.prove(key(77));
    // Claiming key 1 absent with key 77's proof shape fails.
    expect(verifyStateProof(s.stateRoot, key(1), null, otherProof)).toBe(false);
    expect(verifyStateProof(s.stateRoot, key(1), null, proof)).toBe(false);
  });

  it("account proofs verify against the root and fail when the balance is changed", () => {
    const addr = new Uint8Array(20).fill(0xab);
    const absent = new Uint8Array(20).fill(0xcd);
    const s = WorldState.EMPTY.apply([
      { key: accountKey(addr), value: encodeAccount({ balance: 1234n, nonce: 5n }) },
      { key: key(1), value: val(1) },
    ]);
    const p = proveAccount(s, addr);
    expect(p.account).toEqual({ balance: 1234n, nonce: 5n });
    expect(verifyAccountProof(s.stateRoot, addr, p.account, p.proof)).toBe(true);
    expect(verifyAccountProof(s.stateRoot, addr, { balance: 1235n, nonce: 5n }, p.proof)).toBe(false);
    expect(verifyAccountProof(s.stateRoot, addr, { balance: 0n, nonce: 0n }, p.proof)).toBe(false);
    const q = proveAccount(s, absent);
    expect(q.account).toEqual({ balance: 0n, nonce: 0n });
    expect(verifyAccountProof(s.stateRoot, absent, q.account, q.proof)).toBe(true);
    expect(verifyAccountProof(s.stateRoot, absent, { balance: 1n, nonce: 0n }, q.proof)).toBe(false);
    expect(verifyAccountProof(s.stateRoot, absent, { balance: -1n, nonce: 0n }, q.proof)).toBe(false);
  });
});
