// What the protocol files (status-handshake, block-requests, tx-gossip) share: the libp2p node, the chain's
// identity, limits, the node's handlers, the peer book, the log, and the signal that stop() fires. Also the
// two stream helpers every protocol uses: a deadline signal, and opening a stream on an existing connection
// (never dialing as a side effect). Not the public API; see control-plane.ts.
import type { Libp2p, Stream } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import type { ControlPlaneLimits } from "./control-plane-limits.ts";
import { P2pError } from "./p2p-error.ts";
import type { PeerBook } from "./peer-book.ts";
import { protocolId, type ProtocolName } from "./wire-messages.ts";

export type LogLevel = "info" | "warn" | "debug";
export type ControlPlaneLog = (level: LogLevel, msg: string, data?: object) => void;

export interface ControlPlaneHandlers {
  status(): { finalizedHeight: number; finalizedHash: Uint8Array };
  /** At most `count` opaque items from `fromHeight` on (fewer if the node has fewer). */
  blocksByRange(fromHeight: number, count: number): Promise<Uint8Array[]>;
  blockByHash(hash: Uint8Array): Promise<Uint8Array | undefined>;
  /** Gossip received: each transaction once (de-duplicated by hash), with the peer id it came from. */
  onTransactions(raws: Uint8Array[], from: string): void;
}

export interface PlaneContext {
  readonly node: Libp2p;
  readonly chainId: bigint;
  readonly genesisHash: Uint8Array;
  readonly limits: ControlPlaneLimits;
  readonly handlers: ControlPlaneHandlers;
  readonly peers: PeerBook;
  readonly log: ControlPlaneLog;
  /** Fires when stop() begins; every wait in the plane derives from it. */
  readonly stopSignal: AbortSignal;
  /** Streams open in either direction, reset by stop() so a handler still working cannot delay shutdown. */
  readonly streams: Set<Stream>;
}

/** Registers a stream for reset at stop(); it leaves the set when it closes. */
export function trackStream(ctx: PlaneContext, stream: Stream): void {
  if (ctx.stopSignal.aborted) {
    stream.abort(new Error("control plane stopped"));
    return;
  }
  ctx.streams.add(stream);
  stream.addEventListener("close", () => ctx.streams.delete(stream), { once: true });
}

/** The code for a wait that ended because its signal fired: stop() or a timeout. */
export function abortCode(ctx: PlaneContext): "P2P_ERROR_STOPPED" | "P2P_ERROR_TIMEOUT" {
  return ctx.stopSignal.aborted ? "P2P_ERROR_STOPPED" : "P2P_ERROR_TIMEOUT";
}

/** A signal that fires on stop(), on the caller's signal, or after timeoutMs, whichever is first. */
export function deadline(ctx: PlaneContext, timeoutMs: number, caller?: AbortSignal): AbortSignal {
  const signals = [ctx.stopSignal, AbortSignal.timeout(timeoutMs)];
  if (caller !== undefined) signals.push(caller);
  return AbortSignal.any(signals);
}

/**
 * Opens a stream for `name` on an open connection to peerId. Throws P2pError: P2P_ERROR_STOPPED,
 * P2P_ERROR_PEER_UNKNOWN (no open connection), P2P_ERROR_TIMEOUT or P2P_ERROR_STREAM.
 */
export async function openStream(ctx: PlaneContext, peerId: string, name: ProtocolName, signal: AbortSignal): Promise<Stream> {
  if (ctx.stopSignal.aborted) throw new P2pError("P2P_ERROR_STOPPED", "control plane stopped");
  let connections;
  try {
    connections = ctx.node.getConnections(peerIdFromString(peerId));
  } catch {
    throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", `not a peer id: ${peerId}`);
  }
  const connection = connections.find((c) => c.status === "open");
  if (connection === undefined) throw new P2pError("P2P_ERROR_PEER_UNKNOWN", `no open connection to ${peerId}`, { peerId });
  try {
    const stream = await connection.newStream(protocolId(ctx.chainId, name), { signal });
    trackStream(ctx, stream);
    return stream;
  } catch (err) {
    if (signal.aborted) throw new P2pError(abortCode(ctx), `opening ${name} stream: signal fired`, { peerId });
    throw new P2pError("P2P_ERROR_STREAM", `opening ${name} stream failed: ${(err as Error).message}`, {
      peerId,
      name: (err as Error).name,
    });
  }
}

/** Resets a stream a peer misused, with one log line naming the peer and the rule broken. */
export function rejectStream(ctx: PlaneContext, stream: Stream, peerId: string, protocol: ProtocolName, reason: string): void {
  ctx.log("warn", "p2p: peer broke protocol, stream reset", { peerId, protocol, reason });
  stream.abort(new Error(reason));
}
