// Order action codec: golden layout, sizes against the UDP budget, round trips, signatures and the leg rules.
import { describe, expect, it } from "vitest";
import { nobleVerify } from "../../../../consensus/crypto/ed25519.ts";
import { sha256, toHex } from "../../../../consensus/crypto/hash.ts";
import { domainTag } from "../../../../consensus/crypto/domains.ts";
import {
  decodeOrderAction,
  encodeOrderAction,
  ORDER_ACTION_BYTES_MAX,
  orderActionBytes,
  orderId,
  orderSigningBytes,
  signOrderAction,
  UDP_PAYLOAD_BYTES_MAX,
  verifyOrderAction,
} from "../../../../consensus/lane/order-codec.ts";
import { validateOrderAction } from "../../../../consensus/lane/order-validation.ts";
import { ActionKind, LaneClass, laneClassOf, MARKET_ALL, OrderFlag, Side, TriggerKind, type OrderAction } from "../../../../consensus/lane/order.ts";
import { actionBody, cancelLeg, CHAIN_ID, placeLeg, seededKey } from "./lane-fixtures.ts";

const trader = seededKey(0x42);
const ctx = { chainId: CHAIN_ID, heightBlocks: 10n, verify: nobleVerify };

describe("order codec layout", () => {
  it("one leg is 180 bytes and 32 legs fit a 1472-byte UDP payload", () => {
    expect(orderActionBytes(1)).toBe(180);
    expect(ORDER_ACTION_BYTES_MAX).toBe(1358);
    expect(ORDER_ACTION_BYTES_MAX).toBeLessThanOrEqual(UDP_PAYLOAD_BYTES_MAX);
  });

  it("places every field at its documented offset (golden bytes)", () => {
    const body = actionBody(trader.publicKey, [placeLeg({ flags: OrderFlag.Gtc | OrderFlag.ReduceOnly, clientOrderId: 0x01020304 })], {
      nonce: 0x1122334455667788n,
      goodTilBlock: 900n,
    });
    const bytes = encodeOrderAction({ ...body, signature: new Uint8Array(64).fill(0xee) });
    const hex = toHex(bytes);
    expect(bytes.length).toBe(180);
    expect(hex.slice(0, 2)).toBe("01"); // version
    expect(hex.slice(2, 18)).toBe("0000000000007a69"); // chain id 31337
    expect(hex.slice(18, 58)).toBe("aa".repeat(20)); // account
    expect(hex.slice(58, 122)).toBe(toHex(trader.publicKey));
    expect(hex.slice(122, 138)).toBe("1122334455667788"); // nonce
    expect(hex.slice(138, 154)).toBe("0000000000000384"); // good-til-block 900
    expect(hex.slice(154, 156)).toBe("01"); // leg count
    // leg: market 7, place, buy, GTC|reduce-only, no trigger, price 101250, size 40, trigger 0, cid, target 0
    expect(hex.slice(156, 232)).toBe(
      "0007" + "01" + "01" + "11" + "00" + "0000000000018b82" + "0000000000000028" + "0000000000000000" + "01020304" + "00000000",
    );
    expect(hex.slice(232)).toBe("ee".repeat(64));
  });

  it("the order id is sha256 of tag(laneOrder) || unsigned bytes, independent of the signature", () => {
    const body = actionBody(trader.publicKey, [placeLeg()]);
    const signed = signOrderAction(body, trader.secretKey);
    const unsigned = encodeOrderAction(signed).subarray(0, 180 - 64);
    const tag = domainTag("laneOrder");
    const expected = sha256(new Uint8Array([...tag, ...unsigned]));
    expect(toHex(orderId(signed))).toBe(toHex(expected));
    expect(toHex(orderSigningBytes(body))).toBe(toHex(new Uint8Array([...tag, ...unsigned])));
    const resigned: OrderAction = { ...signed, signature: new Uint8Array(64) };
    expect(toHex(orderId(resigned))).toBe(toHex(expected));
  });
});

describe("order codec round trips and bad bytes", () => {
  it("round-trips one leg and a 32-leg batch", () => {
    const one = signOrderAction(actionBody(trader.publicKey, [placeLeg()]), trader.secretKey);
    const legs = Array.from({ length: 32 }, (_, i) => placeLeg({ clientOrderId: i + 1, flags: OrderFlag.Gtc | OrderFlag.PostOnly }));
    const batch = signOrderAction(actionBody(trader.publicKey, legs), trader.secretKey);
    for (const action of [one, batch]) {
      const decoded = decodeOrderAction(encodeOrderAction(action));
      expect(decoded.ok && decoded.value).toEqual(action);
    }
  });

  it("refuses to encode 0 or 33 legs and decodes such lengths as errors", () => {
    expect(() => encodeOrderAction({ ...actionBody(trader.publicKey, []), signature: new Uint8Array(64) })).toThrow(RangeError);
    const legs = Array.from({ length: 33 }, (_, i) => placeLeg({ clientOrderId: i + 1 }));
    expect(() => encodeOrderAction({ ...actionBody(trader.publicKey, legs), signature: new Uint8Array(64) })).toThrow(RangeError);
    const bytes = encodeOrderAction(signOrderAction(actionBody(trader.publicKey, [placeLeg()]), trader.secretKey));
    const badCount = bytes.slice();
    badCount[77] = 33;
    expect(decodeOrderAction(badCount)).toMatchObject({ ok: false, code: "CODEC_ERROR_LENGTH_LIMIT" });
    badCount[77] = 2; // claims two legs, carries one
    expect(decodeOrderAction(badCount)).toMatchObject({ ok: false, code: "CODEC_ERROR_LENGTH_LIMIT" });
    expect(decodeOrderAction(bytes.subarray(0, 179)).ok).toBe(false);
    expect(decodeOrderAction(new Uint8Array([...bytes, 0])).ok).toBe(false);
    const badVersion = bytes.slice();
    badVersion[0] = 2;
    expect(decodeOrderAction(badVersion)).toMatchObject({ ok: false, code: "CODEC_ERROR_BAD_VALUE" });
    const badKind = bytes.slice();
    badKind[78 + 2] = 9;
    expect(decodeOrderAction(badKind)).toMatchObject({ ok: false, code: "CODEC_ERROR_BAD_TAG" });
  });
});

describe("order validation", () => {
  const good = signOrderAction(actionBody(trader.publicKey, [placeLeg()]), trader.secretKey);

  it("accepts a well-formed signed order", () => {
    expect(verifyOrderAction(good, nobleVerify)).toBe(true);
    expect(validateOrderAction(good, ctx)).toEqual({ action: "accept" });
  });

  it("rejects a tampered signature, a tampered body and a wrong chain id", () => {
    const sig = good.signature.slice();
    sig[3]! ^= 1;
    expect(validateOrderAction({ ...good, signature: sig }, ctx)).toMatchObject({ code: "ORDER_ERROR_INVALID_SIGNATURE" });
    expect(validateOrderAction({ ...good, nonce: 6n }, ctx)).toMatchObject({ code: "ORDER_ERROR_INVALID_SIGNATURE" });
    const otherChain = signOrderAction(actionBody(trader.publicKey, [placeLeg()], { chainId: 1n }), trader.secretKey);
    expect(validateOrderAction(otherChain, ctx)).toMatchObject({ action: "reject", code: "ORDER_ERROR_WRONG_CHAIN" });
  });

  it("ignores an expired action", () => {
    const expiring = signOrderAction(actionBody(trader.publicKey, [placeLeg()], { goodTilBlock: 9n }), trader.secretKey);
    expect(validateOrderAction(expiring, ctx)).toMatchObject({ action: "ignore", code: "ORDER_ERROR_EXPIRED" });
  });

  it("enforces the leg rules of each kind", () => {
    const bad = [
      placeLeg({ sizeLots: 0n }),
      placeLeg({ priceTicks: 0n }),
      placeLeg({ flags: OrderFlag.Gtc | OrderFlag.Ioc }),
      placeLeg({ flags: OrderFlag.Ioc | OrderFlag.PostOnly }),
      placeLeg({ flags: 0 }),
      placeLeg({ flags: OrderFlag.Gtc | 0x20 }),
      placeLeg({ side: Side.None }),
      placeLeg({ triggerKind: TriggerKind.Stop }),
      placeLeg({ triggerPriceTicks: 5n }),
      placeLeg({ clientOrderId: 0 }),
      placeLeg({ targetClientOrderId: 3 }),
      placeLeg({ marketId: MARKET_ALL }),
      placeLeg({ action: ActionKind.Replace }),
      { ...cancelLeg(3), sizeLots: 1n },
      cancelLeg(0),
      { ...cancelLeg(0), action: ActionKind.CancelAll, targetClientOrderId: 4 },
    ];
    for (const leg of bad) {
      const action = signOrderAction(actionBody(trader.publicKey, [leg]), trader.secretKey);
      expect(validateOrderAction(action, ctx), JSON.stringify(leg, (_, v) => (typeof v === "bigint" ? `${v}` : v))).toMatchObject({ code: "ORDER_ERROR_BAD_LEG" });
    }
    const fine = [
      placeLeg({ triggerKind: TriggerKind.TakeProfit, triggerPriceTicks: 99n, flags: OrderFlag.Ioc }),
      placeLeg({ action: ActionKind.Replace, targetClientOrderId: 1, clientOrderId: 2 }),
      cancelLeg(3),
      { ...cancelLeg(0), action: ActionKind.CancelAll, marketId: MARKET_ALL },
    ];
    for (const leg of fine) {
      expect(validateOrderAction(signOrderAction(actionBody(trader.publicKey, [leg]), trader.secretKey), ctx)).toEqual({ action: "accept" });
    }
  });

  it("rejects two legs placing the same client order id in one market", () => {
    const twice = signOrderAction(actionBody(trader.publicKey, [placeLeg(), placeLeg()]), trader.secretKey);
    expect(validateOrderAction(twice, ctx)).toMatchObject({ code: "ORDER_ERROR_DUPLICATE_CLIENT_ID" });
  });

  it("classifies actions for the lane: cancels, post-only, the rest", () => {
    const k = trader.publicKey;
    expect(laneClassOf(actionBody(k, [cancelLeg(1)]))).toBe(LaneClass.Cancel);
    expect(laneClassOf(actionBody(k, [cancelLeg(1), placeLeg({ flags: OrderFlag.Gtc | OrderFlag.PostOnly })]))).toBe(LaneClass.PostOnly);
    expect(laneClassOf(actionBody(k, [cancelLeg(1), placeLeg()]))).toBe(LaneClass.Other);
  });
});
