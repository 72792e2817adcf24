// Order datagrams for the lane ingest tests (native harness, UDP path, AF_XDP over veth): signed orders built with
// the real codec, and the ways a datagram can be wrong (malformed, another chain, bad signature), plus the
// encodings where ed25519 verifiers could disagree (S + L, small-order and mixed-order trading keys).
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";

import { domainTag } from "../../../../../consensus/crypto/domains.ts";
import { keyPairFromSeed } from "../../../../../consensus/crypto/ed25519.ts";
import { encodeOrderAction, orderId, orderSigningBytes, signOrderAction } from "../../../../../consensus/lane/order-codec.ts";
import { ActionKind, OrderFlag, ORDER_VERSION, Side, TriggerKind, type OrderActionBody, type OrderLeg } from "../../../../../consensus/lane/order.ts";

export const LANE_CHAIN_ID = 31337n;
export const LANE_TAG = domainTag("laneOrder");

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const leToBig = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const bigToLe = (v: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

export function trader(byte: number): { secretKey: Uint8Array; publicKey: Uint8Array } {
  return keyPairFromSeed(new Uint8Array(32).fill(byte));
}

function leg(i: number): OrderLeg {
  return {
    marketId: 7,
    action: ActionKind.Place,
    side: i % 2 ? Side.Sell : Side.Buy,
    flags: OrderFlag.Gtc,
    triggerKind: TriggerKind.None,
    priceTicks: 100_000n + BigInt(i),
    sizeLots: 10n,
    triggerPriceTicks: 0n,
    clientOrderId: i + 1,
    targetClientOrderId: 0,
  };
}

export function orderBody(publicKey: Uint8Array, nonce: bigint, legs = 1, chainId = LANE_CHAIN_ID): OrderActionBody {
  return {
    version: ORDER_VERSION,
    chainId,
    account: new Uint8Array(20).fill(0xaa),
    tradingKey: publicKey,
    nonce,
    goodTilBlock: 0n,
    legs: Array.from({ length: legs }, (_, i) => leg(i)),
  };
}

export interface SignedOrder {
  bytes: Uint8Array;
  id: Uint8Array;
  nonce: bigint;
}

/** A valid order datagram and its TypeScript order id. */
export function signedOrder(key: { secretKey: Uint8Array; publicKey: Uint8Array }, nonce: bigint, legs = 1, chainId = LANE_CHAIN_ID): SignedOrder {
  const body = orderBody(key.publicKey, nonce, legs, chainId);
  return { bytes: encodeOrderAction(signOrderAction(body, key.secretKey)), id: orderId(body), nonce };
}

/** Same order, one signature byte flipped. */
export function badSignature(o: SignedOrder): Uint8Array {
  const b = o.bytes.slice();
  b[b.length - 40]! ^= 0x01;
  return b;
}

/** Datagrams that are not one OrderAction: too short, a byte too long, version 2, zero legs, 33 legs. */
export function malformedDatagrams(o: SignedOrder): Uint8Array[] {
  const longer = new Uint8Array(o.bytes.length + 1);
  longer.set(o.bytes);
  const v2 = o.bytes.slice();
  v2[0] = 2;
  const noLegs = o.bytes.slice();
  noLegs[77] = 0;
  const tooMany = o.bytes.slice();
  tooMany[77] = 33;
  return [o.bytes.subarray(0, 100), longer, v2, noLegs, tooMany];
}

/** S replaced by S + L: the same point equation, a non-canonical scalar. Every verifier must refuse it. */
export function malleated(o: SignedOrder): Uint8Array {
  const b = o.bytes.slice();
  const at = b.length - 32;
  b.set(bigToLe(leToBig(b.subarray(at)) + L), at);
  return b;
}

function signWithScalar(body: OrderActionBody, a: bigint, r: bigint): Uint8Array {
  const msg = orderSigningBytes(body);
  const R = ed25519.Point.BASE.multiply(r).toBytes();
  const k = leToBig(sha512(Uint8Array.from([...R, ...body.tradingKey, ...msg]))) % L;
  const s = (r + k * a) % L;
  return encodeOrderAction({ ...body, signature: Uint8Array.from([...R, ...bigToLe(s)]) });
}

/**
 * With the identity as trading key, [k]A vanishes and (R = [s]B, s) satisfies the cofactorless equation for any
 * message: only the explicit "not of small order" rule refuses it.
 */
export function identityKeyOrder(nonce: bigint): Uint8Array {
  const identity = new Uint8Array(32);
  identity[0] = 1;
  const body = orderBody(identity, nonce);
  const s = 987654321n;
  const R = ed25519.Point.BASE.multiply(s).toBytes();
  return encodeOrderAction({ ...body, signature: Uint8Array.from([...R, ...bigToLe(s)]) });
}

/**
 * A key with a small-order component (aB + T, T of order 8): a signature made with a verifies under the
 * cofactorless equation exactly when 8 divides k. Native and JavaScript verifiers must agree on each one.
 */
export function mixedOrderKeyOrders(count: number): Uint8Array[] {
  const a = 0x1234567890abcdefn;
  const t = ed25519.Point.fromBytes(Uint8Array.from(Buffer.from("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "hex")), true);
  const key = ed25519.Point.BASE.multiply(a).add(t).toBytes();
  return Array.from({ length: count }, (_, i) => signWithScalar(orderBody(key, BigInt(i + 1)), a, 1000n + BigInt(i)));
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
