// Shared builders for the order-lane unit tests: deterministic keys, a sample leg and action, a validator set.
import { keyPairFromSeed } from "../../../../consensus/crypto/ed25519.ts";
import { ActionKind, OrderFlag, ORDER_VERSION, Side, TriggerKind, type OrderActionBody, type OrderLeg } from "../../../../consensus/lane/order.ts";
import { ValidatorSet } from "../../../../consensus/validator-set.ts";

export const CHAIN_ID = 31337n;

export function seededKey(byte: number): { secretKey: Uint8Array; publicKey: Uint8Array } {
  return keyPairFromSeed(new Uint8Array(32).fill(byte));
}

export function placeLeg(over: Partial<OrderLeg> = {}): OrderLeg {
  return {
    marketId: 7,
    action: ActionKind.Place,
    side: Side.Buy,
    flags: OrderFlag.Gtc,
    triggerKind: TriggerKind.None,
    priceTicks: 101_250n,
    sizeLots: 40n,
    triggerPriceTicks: 0n,
    clientOrderId: 1,
    targetClientOrderId: 0,
    ...over,
  };
}

export function cancelLeg(target: number, marketId = 7): OrderLeg {
  return {
    marketId,
    action: ActionKind.Cancel,
    side: Side.None,
    flags: 0,
    triggerKind: TriggerKind.None,
    priceTicks: 0n,
    sizeLots: 0n,
    triggerPriceTicks: 0n,
    clientOrderId: 0,
    targetClientOrderId: target,
  };
}

export function actionBody(tradingKey: Uint8Array, legs: OrderLeg[], over: Partial<OrderActionBody> = {}): OrderActionBody {
  return {
    version: ORDER_VERSION,
    chainId: CHAIN_ID,
    account: new Uint8Array(20).fill(0xaa),
    tradingKey,
    nonce: 5n,
    goodTilBlock: 0n,
    legs,
    ...over,
  };
}

/** Validators with the given stakes; their keys are seededKey(index + 1). Returns keys in set order. */
export function validatorSet(stakes: bigint[]): { set: ValidatorSet; secretByIndex: Uint8Array[] } {
  const pairs = stakes.map((stake, i) => ({ stake, pair: seededKey(i + 1) }));
  const set = new ValidatorSet(
    pairs.map((p) => ({ publicKey: p.pair.publicKey, operator: new Uint8Array(20), stake: p.stake })),
    new Uint8Array(32),
  );
  const secretByIndex = set.validators.map((v) => pairs.find((p) => p.pair.publicKey === v.publicKey)!.pair.secretKey);
  return { set, secretByIndex };
}
