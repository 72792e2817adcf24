// Merkle roots and proofs over lists, including odd sizes where a node is promoted without a sibling.
import { describe, expect, it } from "vitest";
import { merkleLeaf, merkleProof, merkleRoot, merkleRootOfLeaves, verifyMerkleProof } from "../../../consensus/merkle.ts";
import { ZERO_HASH, toHex } from "../../../consensus/crypto/hash.ts";

const items = (n: number) => Array.from({ length: n }, (_, i) => new Uint8Array([i, i + 1, i + 2]));

describe("merkle", () => {
  it("has the zero hash for the empty list and the leaf hash for one item", () => {
    expect(merkleRoot([])).toEqual(ZERO_HASH);
    expect(merkleRoot(items(1))).toEqual(merkleLeaf(items(1)[0]!));
  });

  it("proves every leaf for sizes 1..33", () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = items(n).map(merkleLeaf);
      const root = merkleRootOfLeaves(leaves);
      for (let i = 0; i < n; i++) {
        const path = merkleProof(leaves, i);
        expect(verifyMerkleProof(root, leaves[i]!, i, path)).toBe(true);
        if (n > 1) expect(verifyMerkleProof(root, leaves[(i + 1) % n]!, i, path)).toBe(false);
      }
    }
  });

  it("does not let a duplicated last leaf give the same root", () => {
    const three = items(3);
    expect(toHex(merkleRoot(three))).not.toBe(toHex(merkleRoot([...three, three[2]!])));
  });

  it("separates leaves from inner nodes", () => {
    const leaves = items(2).map(merkleLeaf);
    const concatenated = new Uint8Array(64);
    concatenated.set(leaves[0]!);
    concatenated.set(leaves[1]!, 32);
    expect(toHex(merkleRoot([concatenated]))).not.toBe(toHex(merkleRootOfLeaves(leaves)));
  });
});
