// The node's libp2p identity from its 32-byte ed25519 node key (RFC 8032 seed), so a config or genesis can name
// a bootstrap peer as /ip4/.../tcp/.../p2p/<peerId> before that peer runs. Not the validator's signing key
// unless the operator chooses so; this file only maps keys, it keeps none.
import { generateKeyPairFromSeed, publicKeyFromRaw } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { peerIdFromPublicKey } from "@libp2p/peer-id";
import { ED25519_SECRET_KEY_BYTES, publicKeyFromSecret } from "../../consensus/crypto/ed25519.ts";
import { P2pError } from "./p2p-error.ts";

function assertSecretKey(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length !== ED25519_SECRET_KEY_BYTES) {
    throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", `node key must be ${ED25519_SECRET_KEY_BYTES} bytes`);
  }
}

/** The peer id (base58btc, "12D3KooW...") that a node with this secret key has. Pure and synchronous. */
export function peerIdFromSecretKey(secret: Uint8Array): string {
  assertSecretKey(secret);
  return peerIdFromPublicKey(publicKeyFromRaw(publicKeyFromSecret(secret))).toString();
}

/** The libp2p private key for createLibp2p. Never pass a 32-byte seed to privateKeyFromRaw: it reads secp256k1. */
export async function libp2pPrivateKeyFromSecret(secret: Uint8Array): Promise<Ed25519PrivateKey> {
  assertSecretKey(secret);
  return generateKeyPairFromSeed("Ed25519", secret);
}
