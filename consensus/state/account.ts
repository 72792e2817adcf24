// An account: balance (wei, u256) and nonce (u64). Encoded as balance(32) || nonce(8), exactly 40 bytes.
// An account with zero balance and zero nonce is empty and is deleted from state (EIP-161's notion of empty).

import { type DecodeResult, unwrapDecode } from "../codec/codec-error.ts";

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
const MASK64 = UINT64_LIMIT - 1n;

// Accounts are encoded and decoded once or twice per transaction: four big-endian u64 words through a
// DataView avoid ByteWriter's per-byte bigint steps. Same bytes as ByteWriter's u256 || u64.
export function encodeAccount(a: Account): Uint8Array {
  if (a.balance < 0n || a.balance >= UINT256_LIMIT) throw new RangeError(`balance out of range: ${a.balance}`);
  if (a.nonce < 0n || a.nonce >= UINT64_LIMIT) throw new RangeError(`nonce out of range: ${a.nonce}`);
  const out = new Uint8Array(ACCOUNT_BYTES);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, a.balance >> 192n);
  v.setBigUint64(8, (a.balance >> 128n) & MASK64);
  v.setBigUint64(16, (a.balance >> 64n) & MASK64);
  v.setBigUint64(24, a.balance & MASK64);
  v.setBigUint64(32, a.nonce);
  return out;
}

export function decodeAccount(bytes: Uint8Array): DecodeResult<Account> {
  if (bytes.length !== ACCOUNT_BYTES) {
    const code = bytes.length < ACCOUNT_BYTES ? "CODEC_ERROR_TRUNCATED" : "CODEC_ERROR_TRAILING_BYTES";
    return { ok: false, code, offset: Math.min(bytes.length, ACCOUNT_BYTES), detail: `an account is ${ACCOUNT_BYTES} bytes, got ${bytes.length}` };
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, ACCOUNT_BYTES);
  const balance = (v.getBigUint64(0) << 192n) | (v.getBigUint64(8) << 128n) | (v.getBigUint64(16) << 64n) | v.getBigUint64(24);
  return { ok: true, value: { balance, nonce: v.getBigUint64(32) } };
}

/** For bytes read back from our own state: a failure is corruption. */
export function loadAccount(bytes: Uint8Array): Account {
  return unwrapDecode(decodeAccount(bytes), "account");
}
