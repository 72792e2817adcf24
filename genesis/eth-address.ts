// Ethereum addresses for genesis files: parsing with the EIP-55 checksum rule (mixed case must match the
// checksum; all-lowercase or all-uppercase is accepted unchecked), checksummed formatting, and the address
// of a secp256k1 key (last 20 bytes of keccak256 of the uncompressed public key without its 0x04 prefix).

import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak256, toHex } from "../consensus/crypto/hash.ts";

export function toChecksumAddress(address: Uint8Array): string {
  const lower = toHex(address);
  const hash = toHex(keccak256(new TextEncoder().encode(lower)));
  let out = "0x";
  for (let i = 0; i < lower.length; i++) out += parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  return out;
}

/** Returns the 20 address bytes, or a reason the string is not a valid address. */
export function parseAddress(text: string): { ok: true; address: Uint8Array } | { ok: false; reason: string } {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) return { ok: false, reason: "must be 0x followed by 40 hex digits" };
  const body = text.slice(2);
  const bytes = Uint8Array.from({ length: 20 }, (_, i) => parseInt(body.slice(2 * i, 2 * i + 2), 16));
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && toChecksumAddress(bytes) !== text) return { ok: false, reason: "has an invalid EIP-55 checksum" };
  return { ok: true, address: bytes };
}

export function addressOfPrivateKey(privateKey: Uint8Array): Uint8Array {
  const uncompressed = secp256k1.getPublicKey(privateKey, false);
  return keccak256(uncompressed.subarray(1)).slice(12);
}
