// What the UDP lane path checks on the JavaScript thread before anything is queued for verification, the same
// rule as native/lane_order.h: exactly one encoded OrderAction (78 + 38*N + 64 bytes, version 1, 1 <= N <= 32)
// for our chain. Plus the byte offsets the verifier and the dedupe read. Not the signature, not the semantics.
import { ORDER_HEADER_BYTES, ORDER_LEG_BYTES, ORDER_SIGNATURE_BYTES, orderActionBytes } from "../../../consensus/lane/order-codec.ts";
import { ORDER_LEGS_MAX, ORDER_VERSION } from "../../../consensus/lane/order.ts";

export const TRADING_KEY_OFFSET = 29;
/** Trading key (32) then nonce (8): the dedupe key, 40 bytes from TRADING_KEY_OFFSET. */
export const DEDUPE_KEY_BYTES = 40;
const CHAIN_ID_OFFSET = 1;
const LEG_COUNT_OFFSET = 77;
const ORDER_BYTES_MIN = orderActionBytes(1);
const ORDER_BYTES_MAX = orderActionBytes(ORDER_LEGS_MAX);

export type LaneDatagramVerdict = "ok" | "malformed" | "wrongChain";

/** A checker for one chain id; compares the big-endian u64 as two 32-bit halves, no BigInt per datagram. */
export function laneDatagramChecker(chainId: bigint): (bytes: Uint8Array) => LaneDatagramVerdict {
  const high = Number((chainId >> 32n) & 0xffffffffn);
  const low = Number(chainId & 0xffffffffn);
  return (b) => {
    if (b.length < ORDER_BYTES_MIN || b.length > ORDER_BYTES_MAX || b[0] !== ORDER_VERSION) return "malformed";
    const legs = b[LEG_COUNT_OFFSET]!;
    if (legs < 1 || legs > ORDER_LEGS_MAX) return "malformed";
    if (b.length !== ORDER_HEADER_BYTES + ORDER_LEG_BYTES * legs + ORDER_SIGNATURE_BYTES) return "malformed";
    const at = CHAIN_ID_OFFSET;
    const h = ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
    const l = ((b[at + 4]! << 24) | (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!) >>> 0;
    return h === high && l === low ? "ok" : "wrongChain";
  };
}

/** FNV-1a over the dedupe key: which worker owns an order's (trading key, nonce). */
export function dedupeShard(b: Uint8Array, shards: number): number {
  if (shards === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = TRADING_KEY_OFFSET; i < TRADING_KEY_OFFSET + DEDUPE_KEY_BYTES; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return (h >>> 0) % shards;
}
