// Why the engine refuses an action. A rejection is data (the action came from a user through the order lane or a
// transaction), never an exception: the engine returns it, changes nothing and the block goes on.
// Codes are stable strings; messages are for people and may change.

export const ENGINE_REJECT = {
  INSUFFICIENT_MARGIN: "ENGINE_REJECT_INSUFFICIENT_MARGIN",
  INSUFFICIENT_COLLATERAL: "ENGINE_REJECT_INSUFFICIENT_COLLATERAL",
  REDUCE_ONLY_WOULD_INCREASE: "ENGINE_REJECT_REDUCE_ONLY_WOULD_INCREASE",
  POST_ONLY_WOULD_CROSS: "ENGINE_REJECT_POST_ONLY_WOULD_CROSS",
  FOK_UNFILLABLE: "ENGINE_REJECT_FOK_UNFILLABLE",
  UNKNOWN_MARKET: "ENGINE_REJECT_UNKNOWN_MARKET",
  UNKNOWN_ACCOUNT: "ENGINE_REJECT_UNKNOWN_ACCOUNT",
  UNKNOWN_ORDER: "ENGINE_REJECT_UNKNOWN_ORDER",
  UNKNOWN_ORACLE: "ENGINE_REJECT_UNKNOWN_ORACLE",
  BAD_TICK: "ENGINE_REJECT_BAD_TICK",
  BAD_LOT: "ENGINE_REJECT_BAD_LOT",
  BAD_AMOUNT: "ENGINE_REJECT_BAD_AMOUNT",
  BAD_TRIGGER: "ENGINE_REJECT_BAD_TRIGGER",
  EXPIRED: "ENGINE_REJECT_EXPIRED",
  STALE_NONCE: "ENGINE_REJECT_STALE_NONCE",
  POSITION_LIMIT: "ENGINE_REJECT_POSITION_LIMIT",
  TOO_MANY_ORDERS: "ENGINE_REJECT_TOO_MANY_ORDERS",
  TOO_MANY_ACCOUNTS: "ENGINE_REJECT_TOO_MANY_ACCOUNTS",
  BOOK_FULL: "ENGINE_REJECT_BOOK_FULL",
  BAD_HEIGHT: "ENGINE_REJECT_BAD_HEIGHT",
} as const;

export type EngineRejectCode = (typeof ENGINE_REJECT)[keyof typeof ENGINE_REJECT];

const MESSAGES: Record<EngineRejectCode, string> = {
  ENGINE_REJECT_INSUFFICIENT_MARGIN: "equity after the worst case of this action would be below the initial margin requirement",
  ENGINE_REJECT_INSUFFICIENT_COLLATERAL: "the withdrawal exceeds the account's collateral",
  ENGINE_REJECT_REDUCE_ONLY_WOULD_INCREASE: "a reduce-only order must be opposite to an open position",
  ENGINE_REJECT_POST_ONLY_WOULD_CROSS: "a post-only order would take liquidity at its price",
  ENGINE_REJECT_FOK_UNFILLABLE: "a fill-or-kill order cannot be filled completely now",
  ENGINE_REJECT_UNKNOWN_MARKET: "no market with this id",
  ENGINE_REJECT_UNKNOWN_ACCOUNT: "the account has never deposited",
  ENGINE_REJECT_UNKNOWN_ORDER: "no open order or trigger with this nonce",
  ENGINE_REJECT_UNKNOWN_ORACLE: "the submitter is not an index oracle",
  ENGINE_REJECT_BAD_TICK: "price must be a whole number of ticks in [1, maxPriceTicks]",
  ENGINE_REJECT_BAD_LOT: "size must be a whole number of lots in [1, maxOrderLots]",
  ENGINE_REJECT_BAD_AMOUNT: "amount must be a positive number of quote units within the limit",
  ENGINE_REJECT_BAD_TRIGGER: "trigger price is invalid or already crossed by the mark, or the order kind cannot be triggered",
  ENGINE_REJECT_EXPIRED: "good-til-block is before the current block",
  ENGINE_REJECT_STALE_NONCE: "nonce was already used or is too far below the account's highest nonce",
  ENGINE_REJECT_POSITION_LIMIT: "the order could take the position beyond the market's maximum",
  ENGINE_REJECT_TOO_MANY_ORDERS: "the account has the maximum number of open orders or triggers",
  ENGINE_REJECT_TOO_MANY_ACCOUNTS: "the engine has the maximum number of accounts",
  ENGINE_REJECT_BOOK_FULL: "the book or the price level is full",
  ENGINE_REJECT_BAD_HEIGHT: "block ticks must arrive at consecutive heights",
};

export interface EngineRejection {
  readonly code: EngineRejectCode;
  readonly message: string;
}

export function reject(code: EngineRejectCode, detail?: string): EngineRejection {
  return { code, message: detail === undefined ? MESSAGES[code] : `${MESSAGES[code]} (${detail})` };
}
