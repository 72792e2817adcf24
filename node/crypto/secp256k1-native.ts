// Sender recovery through the `secp256k1` npm package's native addon (libsecp256k1 via node-addon-api, loaded
// from its linux-x64 prebuild). Loads `secp256k1/bindings.js` directly: the package's index silently falls back
// to pure-JS elliptic, and a silent 30x slowdown is worse than a clear error at startup.
// Same rules as consensus/execution/recover-signer.ts (range and EIP-2 low s checked before the native call).

import { createRequire } from "node:module";
import { addressFromPublicKey, checkSignatureRange, type RecoverSigner } from "../../consensus/execution/recover-signer.ts";
import { XdpchainError } from "../../consensus/errors.ts";

interface NativeSecp256k1 {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean, output?: Uint8Array): Uint8Array;
}

export class NativeCryptoError extends XdpchainError<"NATIVE_CRYPTO_ERROR_UNAVAILABLE"> {}

let cached: NativeSecp256k1 | undefined;

function loadBinding(): NativeSecp256k1 {
  if (cached) return cached;
  try {
    cached = createRequire(import.meta.url)("secp256k1/bindings.js") as NativeSecp256k1;
    return cached;
  } catch (err) {
    throw new NativeCryptoError("NATIVE_CRYPTO_ERROR_UNAVAILABLE", "the secp256k1 native addon did not load", {
      cause: String(err),
    });
  }
}

/** True when the native addon loads on this machine (for a startup log line or a fallback decision). */
export function isNativeSecp256k1Available(): boolean {
  try {
    loadBinding();
    return true;
  } catch {
    return false;
  }
}

/** A RecoverSigner backed by libsecp256k1. Throws NativeCryptoError at creation if the addon is missing. */
export function createNativeRecoverSigner(): RecoverSigner {
  const native = loadBinding();
  const sig = new Uint8Array(64);
  const out = new Uint8Array(65);
  return (msgHash32, r, s, recoveryBit) => {
    if (msgHash32.length !== 32 || checkSignatureRange(r, s) !== "ok" || (recoveryBit !== 0 && recoveryBit !== 1)) return null;
    sig.set(r, 0);
    sig.set(s, 32);
    try {
      native.ecdsaRecover(sig, recoveryBit, msgHash32, false, out);
    } catch {
      return null; // the binding throws when no key recovers
    }
    return addressFromPublicKey(out);
  };
}
