// An account: balance (wei, u256) and nonce (u64). Encoded as balance(32) || nonce(8), exactly 40 bytes.
// An account with zero balance and zero nonce is empty and is deleted from state (EIP-161's notion of empty).

import { type DecodeResult, unwrapDecode } from "../codec/codec-error.ts";
import { fromHex, toHex } from "../crypto/hash.ts";

export interface Account {
  balance: bigint;
  nonce: bigint;
}

export const ACCOUNT_BYTES = 40;
export const EMPTY_ACCOUNT: Readonly<Account> = Object.freeze({ balance: 0n, nonce: 0n });

export function isEmptyAccount(a: Account): boolean {
  return a.balance === 0n && a.nonce === 0n;
}

const UINT256_LIMIT = 1n << 256n;
const UINT64_LIMIT = 1n << 64n;

// Accounts are encoded and decoded once or twice per transaction: a direct path (hex for the u256, DataView
// for the u64) avoids ByteWriter's per-byte bigint steps. Same bytes as ByteWriter's u256 || u64.
export function encodeAccount(a: Account): Uint8Array {
  if (a.balance < 0n || a.balance >= UINT256_LIMIT) throw new RangeError(`balance out of range: ${a.balance}`);
  if (a.nonce < 0n || a.nonce >= UINT64_LIMIT) throw new RangeError(`nonce out of range: ${a.nonce}`);
  const out = fromHex(a.balance.toString(16).padStart(64, "0") + "0000000000000000");
  new DataView(out.buffer).setBigUint64(32, a.nonce);
  return out;
}

export function decodeAccount(bytes: Uint8Array): DecodeResult<Account> {
  if (bytes.length !== ACCOUNT_BYTES) {
    const code = bytes.length < ACCOUNT_BYTES ? "CODEC_ERROR_TRUNCATED" : "CODEC_ERROR_TRAILING_BYTES";
    return { ok: false, code, offset: Math.min(bytes.length, ACCOUNT_BYTES), detail: `an account is ${ACCOUNT_BYTES} bytes, got ${bytes.length}` };
  }
  const balance = BigInt("0x" + toHex(bytes.subarray(0, 32)));
  const nonce = new DataView(bytes.buffer, bytes.byteOffset + 32, 8).getBigUint64(0);
  return { ok: true, value: { balance, nonce } };
}

/** For bytes read back from our own state: a failure is corruption. */
export function loadAccount(bytes: Uint8Array): Account {
  return unwrapDecode(decodeAccount(bytes), "account");
}
