// Every bound the control plane enforces, with its default, in one place: sizes of what a peer may send,
// how many streams it may hold open, how long anything may wait, how large the gossip queues grow.
// Operators override single fields through ControlPlaneOptions.limits; resolveLimits checks the result.
import { P2pError } from "./p2p-error.ts";

export interface ControlPlaneLimits {
  /** Largest single item in a blocks-by-range or block-by-hash answer. */
  itemBytesMax: number;
  /** Most items one range answer may carry; larger requests are answered with this many. */
  rangeItemsMax: number;
  /** Most bytes one range answer may carry in total. */
  rangeResponseBytesMax: number;
  /** Largest raw transaction accepted from gossip. */
  txBytesMax: number;
  /** Most transactions in one gossip stream (one batch), either direction. */
  txBatchItemsMax: number;
  /** Outbound gossip waiting to be sent; beyond it new transactions are dropped (and counted). */
  txQueueItemsMax: number;
  /** Transaction hashes remembered for de-duplication (oldest forgotten first). */
  txSeenItemsMax: number;
  /** How long outbound gossip waits to fill a batch. */
  txFlushDelayMs: number;
  /** Concurrent inbound streams per connection, per protocol. */
  inboundStreamsPerPeerMax: number;
  /** Concurrent outbound streams per connection, per protocol. */
  outboundStreamsPerPeerMax: number;
  /** Connections libp2p keeps at most. */
  connectionsMax: number;
  /** Status exchange, start to finish. */
  statusTimeoutMs: number;
  /** A request, from opening the stream to the last byte of the answer (callers may pass a shorter signal). */
  requestTimeoutMs: number;
  /** A server waiting for a request, or for a slow reader to take its answer. */
  serveTimeoutMs: number;
  /** Dialing one address. */
  dialTimeoutMs: number;
  /** How long a peer found on another chain is refused (inbound and outbound). */
  refuseIncompatibleMs: number;
  /** Bootstrap redial backoff: first delay and ceiling. */
  redialDelayMinMs: number;
  redialDelayMaxMs: number;
}

export const DEFAULT_CONTROL_PLANE_LIMITS: Readonly<ControlPlaneLimits> = Object.freeze({
  itemBytesMax: 33 * 1024 * 1024,
  rangeItemsMax: 64,
  rangeResponseBytesMax: 256 * 1024 * 1024,
  txBytesMax: 128 * 1024,
  txBatchItemsMax: 256,
  txQueueItemsMax: 8192,
  txSeenItemsMax: 65536,
  txFlushDelayMs: 20,
  inboundStreamsPerPeerMax: 8,
  outboundStreamsPerPeerMax: 16,
  connectionsMax: 128,
  statusTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  serveTimeoutMs: 30_000,
  dialTimeoutMs: 5_000,
  refuseIncompatibleMs: 60_000,
  redialDelayMinMs: 250,
  redialDelayMaxMs: 30_000,
});

/** Merges overrides over the defaults; throws P2P_ERROR_INVALID_ARGUMENT on a non-positive or non-integer value. */
export function resolveLimits(overrides: Partial<ControlPlaneLimits> = {}): ControlPlaneLimits {
  const limits: ControlPlaneLimits = { ...DEFAULT_CONTROL_PLANE_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", `limit ${name} must be a positive integer`, { name, value });
    }
  }
  if (limits.itemBytesMax + 1 > 0xffffffff) throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "itemBytesMax must fit a 32-bit frame");
  if (limits.redialDelayMaxMs < limits.redialDelayMinMs) {
    throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "redialDelayMaxMs below redialDelayMinMs");
  }
  return limits;
}
