// Signs transactions with a secp256k1 secret key (RFC 6979 deterministic nonces, low s), for tests, the
// simulation, the devnet and benchmarks. Wallets sign their own transactions; the node never holds these keys.

import { secp256k1 } from "@noble/curves/secp256k1.js";
import { addressFromPublicKey } from "./recover-signer.ts";
import { encodeTransaction, transactionSigningHash } from "./transaction-codec.ts";
import type { SignedTransaction, UnsignedTransaction } from "./transaction.ts";
import type { Address } from "../types.ts";

export function addressFromSecretKey(secretKey: Uint8Array): Address {
  return addressFromPublicKey(secp256k1.getPublicKey(secretKey, false));
}

export function signTransaction(tx: UnsignedTransaction, secretKey: Uint8Array): SignedTransaction {
  const hash = transactionSigningHash(tx);
  const sig = secp256k1.Signature.fromBytes(
    secp256k1.sign(hash, secretKey, { prehash: false, lowS: true, format: "recovered" }),
    "recovered",
  );
  const r = new Uint8Array(32);
  const s = new Uint8Array(32);
  const compact = sig.toBytes("compact");
  r.set(compact.subarray(0, 32));
  s.set(compact.subarray(32));
  return { ...tx, yParity: sig.recovery as 0 | 1, r, s };
}

/** Signs and encodes: the raw bytes a wallet would send. */
export function signAndEncodeTransaction(tx: UnsignedTransaction, secretKey: Uint8Array): Uint8Array {
  return encodeTransaction(signTransaction(tx, secretKey));
}
