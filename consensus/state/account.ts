// An account: balance (wei, u256) and nonce (u64). Encoded as balance(32) || nonce(8), exactly 40 bytes.
// An account with zero balance and zero nonce is empty and is deleted from state (EIP-161's notion of empty).

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { type DecodeResult, decodeWith, unwrapDecode } from "../codec/codec-error.ts";

export interface Account {
  balance: bigint;
  nonce: bigint;
}

export const ACCOUNT_BYTES = 40;
export const EMPTY_ACCOUNT: Readonly<Account> = Object.freeze({ balance: 0n, nonce: 0n });

export function isEmptyAccount(a: Account): boolean {
  return a.balance === 0n && a.nonce === 0n;
}

export function encodeAccount(a: Account): Uint8Array {
  return new ByteWriter(ACCOUNT_BYTES).u256(a.balance).u64n(a.nonce).finish();
}

export function decodeAccount(bytes: Uint8Array): DecodeResult<Account> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const account = { balance: r.u256("balance"), nonce: r.u64n("nonce") };
    r.end("account");
    return account;
  });
}

/** For bytes read back from our own state: a failure is corruption. */
export function loadAccount(bytes: Uint8Array): Account {
  return unwrapDecode(decodeAccount(bytes), "account");
}
