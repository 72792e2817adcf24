// Ethereum JSON-RPC hex encoding (the conventions of the Ethereum execution API spec): quantities are 0x-prefixed
// hex without leading zeros ("0x0" for zero), data is 0x-prefixed hex of even length, addresses are printed in
// lowercase as go-ethereum prints them (input may be EIP-55 checksummed). Parsers are strict like go-ethereum and return a result with a reason instead of throwing,
// so rpc-params.ts can name the bad parameter. Lengths are checked before any bytes are allocated.

import { toHex } from "../../consensus/crypto/hash.ts";
import { parseAddress } from "../../genesis/eth-address.ts";


export type HexResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** uint256 has at most 64 hex digits. */
export const QUANTITY_DIGITS_MAX = 64;

const QUANTITY_RE = /^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/;
const DATA_RE = /^0x(?:[0-9a-fA-F]{2})*$/;

export function formatQuantity(value: bigint | number): string {
  const v = typeof value === "number" ? BigInt(value) : value;
  if (v < 0n) throw new RangeError(`quantity ${v} is negative`);
  return `0x${v.toString(16)}`;
}

export function formatData(bytes: Uint8Array): string {
  return `0x${toHex(bytes)}`;
}

/** 20 bytes as lowercase 0x-hex (go-ethereum's JSON form). */
export function formatAddress(address: Uint8Array): string {
  if (address.length !== 20) throw new RangeError(`address must be 20 bytes, got ${address.length}`);
  return formatData(address);
}

export function parseQuantity(value: unknown, maxDigits: number = QUANTITY_DIGITS_MAX): HexResult<bigint> {
  if (typeof value !== "string") return { ok: false, reason: "must be a hex string" };
  if (value.length > 2 + maxDigits) return { ok: false, reason: `must be at most ${maxDigits} hex digits` };
  if (value === "0x") return { ok: false, reason: "empty hex string" };
  if (!QUANTITY_RE.test(value)) {
    if (/^0x0[0-9a-fA-F]+$/.test(value)) return { ok: false, reason: "hex number with leading zero digits" };
    return { ok: false, reason: "must be a 0x-prefixed hex quantity" };
  }
  return { ok: true, value: BigInt(value) };
}

/** A quantity that must fit a JavaScript safe integer (block numbers, counts). */
export function parseSmallQuantity(value: unknown): HexResult<number> {
  const q = parseQuantity(value, 14);
  if (!q.ok) return q;
  if (q.value > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: "is too large" };
  return { ok: true, value: Number(q.value) };
}

/** 0x-prefixed even-length hex; `exactBytes` or `maxBytes` bound the length before decoding. */
export function parseData(value: unknown, bounds: { exactBytes?: number; maxBytes?: number } = {}): HexResult<Uint8Array> {
  if (typeof value !== "string") return { ok: false, reason: "must be a hex string" };
  const { exactBytes, maxBytes } = bounds;
  if (exactBytes !== undefined && value.length !== 2 + 2 * exactBytes) {
    return { ok: false, reason: `must be ${exactBytes} bytes of 0x-prefixed hex` };
  }
  if (maxBytes !== undefined && value.length > 2 + 2 * maxBytes) return { ok: false, reason: `must be at most ${maxBytes} bytes` };
  if (!DATA_RE.test(value)) return { ok: false, reason: "must be 0x-prefixed hex of even length" };
  const out = new Uint8Array((value.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
  return { ok: true, value: out };
}

export function parseHash(value: unknown): HexResult<Uint8Array> {
  return parseData(value, { exactBytes: 32 });
}

/** A 20-byte address; mixed case must carry a valid EIP-55 checksum (a typo guard), one case is accepted as is. */
export function parseAddressParam(value: unknown): HexResult<Uint8Array> {
  if (typeof value !== "string") return { ok: false, reason: "must be a hex string" };
  const parsed = parseAddress(value);
  return parsed.ok ? { ok: true, value: parsed.address } : { ok: false, reason: `address ${parsed.reason}` };
}
