// Operating errors of the order-lane client side (node/lane/client and the `xdpchain lane` commands): bad order
// input (unknown market, a price that is not a whole tick), unusable trading-key files, UDP sends that reached
// nobody, transactions that reverted, waits that timed out. Callers branch on `code`; messages are for people.

import { XdpchainError } from "../../../consensus/errors.ts";

export type LaneClientErrorCode =
  /** Order input that cannot become a valid leg: unknown market, bad number, not a whole tick or lot, out of range. */
  | "LANE_CLIENT_ERROR_BAD_ORDER"
  /** More legs than one signed action carries (order.ts ORDER_LEGS_MAX), or none. */
  | "LANE_CLIENT_ERROR_LEG_COUNT"
  /** The trading-key file is missing, unreadable or malformed, or has no account yet. */
  | "LANE_CLIENT_ERROR_KEY_FILE"
  /** The u32 client order ids of this trading key are used up: generate a new key. */
  | "LANE_CLIENT_ERROR_CLIENT_IDS_EXHAUSTED"
  /** No validator to send to: lane_info answered nowhere and no explicit target was given. */
  | "LANE_CLIENT_ERROR_NO_TARGETS"
  /** The datagram could not be sent to any target. */
  | "LANE_CLIENT_ERROR_SEND"
  /** A node answered with something that is not the documented shape. */
  | "LANE_CLIENT_ERROR_RESPONSE"
  /** A wait (order status, receipt) ran out of time. */
  | "LANE_CLIENT_ERROR_TIMEOUT"
  /** A wait was aborted by its AbortSignal. */
  | "LANE_CLIENT_ERROR_ABORTED"
  /** The node refused the transaction (eth_sendRawTransaction error), or its sender cannot pay for it. */
  | "LANE_CLIENT_ERROR_TX_REFUSED"
  /** The transaction was included but reverted; data.revertReason holds the lane call code. */
  | "LANE_CLIENT_ERROR_TX_REVERTED";

export class LaneClientError extends XdpchainError<LaneClientErrorCode, Record<string, unknown>> {}

export function badOrder(message: string, data: Record<string, unknown> = {}): LaneClientError {
  return new LaneClientError("LANE_CLIENT_ERROR_BAD_ORDER", message, data);
}
