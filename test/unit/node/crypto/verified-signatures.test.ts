// VerifiedSignatures: a triple that verified once answers from memory; a changed key, message or signature goes
// to the inner verifier again; failures are never remembered; remember() records outside verifications; the
// memory is bounded; odd lengths never match a remembered concatenation.
import { describe, expect, it } from "vitest";
import { nobleVerify, signEd25519, type Ed25519Verify } from "../../../../consensus/crypto/ed25519.ts";
import { VerifiedSignatures } from "../../../../node/crypto/verified-signatures.ts";
import { testKey } from "../../../support/fixtures.ts";

const alice = testKey(1);
const bob = testKey(2);
const message = new TextEncoder().encode("an order");
const signature = signEd25519(alice.secretKey, message);

function counting(): { verify: Ed25519Verify; calls: () => number } {
  let calls = 0;
  return { verify: (k, m, s) => (calls++, nobleVerify(k, m, s)), calls: () => calls };
}

describe("VerifiedSignatures", () => {
  it("verifies a triple once, then answers from memory", () => {
    const inner = counting();
    const cache = new VerifiedSignatures(inner.verify);
    expect(cache.verify(alice.publicKey, message, signature)).toBe(true);
    expect(cache.verify(alice.publicKey, message.slice(), signature.slice())).toBe(true);
    expect(inner.calls()).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it("asks again for any change, and never remembers a failure", () => {
    const inner = counting();
    const cache = new VerifiedSignatures(inner.verify);
    cache.verify(alice.publicKey, message, signature);
    const otherMessage = new TextEncoder().encode("an order!");
    const flipped = signature.slice();
    flipped[5]! ^= 1;
    expect(cache.verify(bob.publicKey, message, signature)).toBe(false);
    expect(cache.verify(alice.publicKey, otherMessage, signature)).toBe(false);
    expect(cache.verify(alice.publicKey, message, flipped)).toBe(false);
    expect(cache.verify(alice.publicKey, message, flipped)).toBe(false);
    expect(inner.calls()).toBe(5);
    expect(cache.size).toBe(1);
  });

  it("remember() records a signature verified elsewhere", () => {
    const inner = counting();
    const cache = new VerifiedSignatures(inner.verify);
    cache.remember(alice.publicKey, message, signature);
    expect(cache.verify(alice.publicKey, message, signature)).toBe(true);
    expect(inner.calls()).toBe(0);
  });

  it("forgets the oldest beyond its capacity", () => {
    const inner = counting();
    const cache = new VerifiedSignatures(inner.verify, 2);
    const msgs = [1, 2, 3].map((n) => new Uint8Array([n]));
    const sigs = msgs.map((m) => signEd25519(alice.secretKey, m));
    msgs.forEach((m, i) => cache.verify(alice.publicKey, m, sigs[i]!));
    expect(cache.size).toBe(2);
    cache.verify(alice.publicKey, msgs[2]!, sigs[2]!);
    expect(inner.calls()).toBe(3);
    cache.verify(alice.publicKey, msgs[0]!, sigs[0]!);
    expect(inner.calls()).toBe(4);
  });

  it("a shifted split of a remembered triple (odd key or signature length) is not a hit", () => {
    const inner = counting();
    const cache = new VerifiedSignatures(inner.verify);
    cache.verify(alice.publicKey, message, signature);
    const longKey = new Uint8Array([...alice.publicKey, signature[0]!]);
    const shortSig = new Uint8Array([...signature.subarray(1), message[0]!]);
    expect(cache.verify(longKey, message.subarray(1), shortSig)).toBe(false);
    expect(inner.calls()).toBe(2);
  });
});
