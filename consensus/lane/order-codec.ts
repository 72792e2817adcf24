// Canonical binary encoding of order actions: fixed-size header, N fixed-size legs (1 <= N <= 32), one ed25519
// signature. Big-endian integers, no length prefixes: the size follows from N, so a 32-leg action is
// 78 + 32*38 + 64 = 1358 bytes and fits a 1472-byte UDP payload (one AF_XDP frame). Semantic rules are in
// order-validation.ts; this file only maps bytes to shapes and never throws on peer bytes.
//
// Header (78 bytes)                         Leg i (38 bytes, at 78 + 38*i)
//   0  u8   version (= 1)                     +0  u16  market id (0xffff = all markets, cancel-all only)
//   1  u64  chain id                          +2  u8   action kind (1 place, 2 cancel, 3 cancel-all, 4 replace)
//   9  [20] account address                   +3  u8   side (0 none, 1 buy, 2 sell)
//  29  [32] trading key (ed25519)             +4  u8   flags (0x01 GTC, 0x02 IOC, 0x04 FOK, 0x08 post-only,
//  61  u64  nonce                                      0x10 reduce-only)
//  69  u64  good-til-block (0 = none)         +5  u8   trigger kind (0 none, 1 stop, 2 take-profit)
//  77  u8   leg count N                       +6  u64  price in ticks
// Trailer: [64] signature at 78 + 38*N       +14  u64  size in lots
//                                            +22  u64  trigger price in ticks (mark price)
// Signed bytes: tag("laneOrder") || header    +30  u32  client order id
//   || legs (everything but the signature).   +34  u32  target client order id (cancel / replace)
// Order id: sha256 of the signed bytes, so it is fixed before signing and is not changed by the signature.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import { withDomain } from "../crypto/domains.ts";
import { signEd25519, type Ed25519Verify } from "../crypto/ed25519.ts";
import { sha256 } from "../crypto/hash.ts";
import type { Hash } from "../types.ts";
import {
  ACTION_KINDS,
  ORDER_LEGS_MAX,
  ORDER_VERSION,
  SIDES,
  TRIGGER_KINDS,
  type OrderAction,
  type OrderActionBody,
  type OrderLeg,
} from "./order.ts";

export const ORDER_HEADER_BYTES = 78;
export const ORDER_LEG_BYTES = 38;
export const ORDER_SIGNATURE_BYTES = 64;
/** Largest encoded action (32 legs). */
export const ORDER_ACTION_BYTES_MAX = orderActionBytes(ORDER_LEGS_MAX);
/** The payload budget an action must fit: one UDP datagram on a 1500-byte MTU. */
export const UDP_PAYLOAD_BYTES_MAX = 1472;

export function orderActionBytes(legCount: number): number {
  return ORDER_HEADER_BYTES + ORDER_LEG_BYTES * legCount + ORDER_SIGNATURE_BYTES;
}

function writeLeg(w: ByteWriter, leg: OrderLeg): void {
  w.u16(leg.marketId).u8(leg.action).u8(leg.side).u8(leg.flags).u8(leg.triggerKind);
  w.u64n(leg.priceTicks).u64n(leg.sizeLots).u64n(leg.triggerPriceTicks);
  w.u32(leg.clientOrderId).u32(leg.targetClientOrderId);
}

function readLeg(r: ByteReader): OrderLeg {
  const marketId = r.u16("market id");
  const action = r.tag(ACTION_KINDS, "action kind");
  const side = r.tag(SIDES, "side");
  const flags = r.u8("flags");
  const triggerKind = r.tag(TRIGGER_KINDS, "trigger kind");
  const priceTicks = r.u64n("price ticks");
  const sizeLots = r.u64n("size lots");
  const triggerPriceTicks = r.u64n("trigger price ticks");
  const clientOrderId = r.u32("client order id");
  const targetClientOrderId = r.u32("target client order id");
  return { marketId, action, side, flags, triggerKind, priceTicks, sizeLots, triggerPriceTicks, clientOrderId, targetClientOrderId };
}

function writeBody(w: ByteWriter, body: OrderActionBody): void {
  if (body.legs.length < 1 || body.legs.length > ORDER_LEGS_MAX) {
    throw new RangeError(`an order action has 1..${ORDER_LEGS_MAX} legs, got ${body.legs.length}`);
  }
  w.u8(body.version).u64n(body.chainId).fixed(body.account, 20).fixed(body.tradingKey, 32);
  w.u64n(body.nonce).u64n(body.goodTilBlock).u8(body.legs.length);
  for (const leg of body.legs) writeLeg(w, leg);
}

/** Body bytes without the domain tag (header and legs). */
function encodeBody(body: OrderActionBody): Uint8Array {
  const w = new ByteWriter(orderActionBytes(body.legs.length));
  writeBody(w, body);
  return w.finish();
}

/** The exact bytes the trading key signs. */
export function orderSigningBytes(body: OrderActionBody): Uint8Array {
  return withDomain("laneOrder", encodeBody(body));
}

/** sha256(tag("laneOrder") || header || legs): the id receipts, blocks and the engine use. */
export function orderId(body: OrderActionBody): Hash {
  return sha256(orderSigningBytes(body));
}

export function encodeOrderAction(action: OrderAction): Uint8Array {
  const w = new ByteWriter(orderActionBytes(action.legs.length));
  writeBody(w, action);
  w.fixed(action.signature, ORDER_SIGNATURE_BYTES);
  return w.finish();
}

/** Structural decode: known version and tags, exact size for the leg count. Semantics: validateOrderAction. */
export function decodeOrderAction(bytes: Uint8Array): DecodeResult<OrderAction> {
  return decodeWith(() => {
    if (bytes.length < orderActionBytes(1) || bytes.length > ORDER_ACTION_BYTES_MAX) {
      throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", 0, `order action of ${bytes.length} bytes`);
    }
    const r = new ByteReader(bytes);
    const version = r.u8("version");
    if (version !== ORDER_VERSION) throw new CodecError("CODEC_ERROR_BAD_VALUE", 0, `order version ${version}`);
    const chainId = r.u64n("chain id");
    const account = r.fixed(20, "account");
    const tradingKey = r.fixed(32, "trading key");
    const nonce = r.u64n("nonce");
    const goodTilBlock = r.u64n("good-til-block");
    const countAt = r.position;
    const count = r.u8("leg count");
    if (count < 1 || count > ORDER_LEGS_MAX) {
      throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", countAt, `leg count ${count} outside 1..${ORDER_LEGS_MAX}`);
    }
    if (bytes.length !== orderActionBytes(count)) {
      throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", countAt, `${count} legs need ${orderActionBytes(count)} bytes, got ${bytes.length}`);
    }
    const legs: OrderLeg[] = [];
    for (let i = 0; i < count; i++) legs.push(readLeg(r));
    const signature = r.fixed(ORDER_SIGNATURE_BYTES, "signature");
    r.end("order action");
    return { version, chainId, account, tradingKey, nonce, goodTilBlock, legs, signature };
  });
}

export function signOrderAction(body: OrderActionBody, tradingSecretKey: Uint8Array): OrderAction {
  return { ...body, signature: signEd25519(tradingSecretKey, orderSigningBytes(body)) };
}

/** Signature by the trading key carried in the action (whether that key is registered is the engine's check). */
export function verifyOrderAction(action: OrderAction, verify: Ed25519Verify): boolean {
  return verify(action.tradingKey, orderSigningBytes(action), action.signature);
}
