// Validator keys and signatures for the simulator. "fake": a keyed sha256 tag standing in for ed25519 (fast; sound
// only because simulated Byzantine nodes sign with their own keys by construction). "ed25519": the real strict
// RFC 8032 scheme via @noble/curves, used by a smaller number of seeds in test/sim/simulation.test.ts. Public keys
// are real ed25519 keys in both modes (execution admits only valid validator keys).

import { nobleVerify, keyPairFromSeed, signEd25519, type Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import { bytesEqual, sha256 } from "../../consensus/crypto/hash.ts";

export type CryptoMode = "fake" | "ed25519";

export interface SimKey {
  publicKey: Uint8Array;
  sign: (message: Uint8Array) => Uint8Array;
}

function fakeTag(publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  const buf = new Uint8Array(32 + message.length);
  buf.set(publicKey);
  buf.set(message, 32);
  const sig = new Uint8Array(64);
  sig.set(sha256(buf));
  return sig;
}

export const fakeVerify: Ed25519Verify = (publicKey, message, signature) =>
  signature.length === 64 && bytesEqual(fakeTag(publicKey, message), signature);

export function simKey(mode: CryptoMode, seed: number, index: number): SimKey {
  const secret = new Uint8Array(32);
  new DataView(secret.buffer).setUint32(0, seed >>> 0);
  new DataView(secret.buffer).setUint32(4, index);
  secret[31] = 0x51;
  const pair = keyPairFromSeed(secret);
  if (mode === "fake") return { publicKey: pair.publicKey, sign: (m) => fakeTag(pair.publicKey, m) };
  return { publicKey: pair.publicKey, sign: (m) => signEd25519(pair.secretKey, m) };
}

export function simVerify(mode: CryptoMode): Ed25519Verify {
  return mode === "fake" ? fakeVerify : nobleVerify;
}
