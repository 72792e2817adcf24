// A bounded memory of ed25519 signatures this node has already found valid, in front of its verifier. A
// replica meets most signatures twice: an order body or a receipt batch when it arrives, and again inside the
// proposed block that carries it. The second check becomes a sha256 lookup (~1 µs instead of ~70 µs).
// Keyed by sha256(publicKey || signature || message), so a hit means exactly this key, message and signature
// passed before. Only successes are remembered; the oldest entry is forgotten first.

import { createHash } from "node:crypto";
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, type Ed25519Verify } from "../../consensus/crypto/ed25519.ts";

export const VERIFIED_SIGNATURES_MAX = 262_144;

export class VerifiedSignatures {
  private readonly seen = new Set<string>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: Ed25519Verify,
    private readonly capacity = VERIFIED_SIGNATURES_MAX,
  ) {}

  /** The inner verifier's answer, from memory when this exact triple verified before. */
  readonly verify: Ed25519Verify = (publicKey, message, signature) => {
    // Fixed lengths keep the concatenated key unambiguous; anything else is the inner verifier's to refuse.
    if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return this.inner(publicKey, message, signature);
    const key = keyOf(publicKey, message, signature);
    if (this.seen.has(key)) {
      this.hits++;
      return true;
    }
    this.misses++;
    if (!this.inner(publicKey, message, signature)) return false;
    this.add(key);
    return true;
  };

  /**
   * Records a signature verified elsewhere under the same rules as the inner verifier (the lane ingest's
   * native and worker verifiers: OpenSSL with the same strictness checks).
   */
  remember(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
    if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return;
    this.add(keyOf(publicKey, message, signature));
  }

  get size(): number {
    return this.seen.size;
  }

  private add(key: string): void {
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.capacity) this.seen.delete(this.seen.values().next().value!);
    this.seen.add(key);
  }
}

function keyOf(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
  return createHash("sha256").update(publicKey).update(signature).update(message).digest("base64");
}
