// The status protocol: the opener sends its status, the answerer checks it and answers with its own. Both ends
// check chain id and genesis hash; a peer on another chain is logged and disconnected (its chain id is also in
// the protocol id, so a peer with another chain id cannot even open the stream). A passed status marks the
// peer verified in the peer book; the other protocols serve verified peers only.
import type { Connection, Stream } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import type { Verdict } from "../../consensus/errors.ts";
import { FrameReader, finishStream, writeFrame } from "./frame-stream.ts";
import { P2pError } from "./p2p-error.ts";
import { abortCode, deadline, openStream, rejectStream, trackStream, type PlaneContext } from "./plane-context.ts";
import { decodeStatus, encodeStatus, STATUS_BYTES, type StatusMessage } from "./wire-messages.ts";

export type StatusRejectCode = "STATUS_WRONG_CHAIN_ID" | "STATUS_WRONG_GENESIS";

export function validatePeerStatus(ctx: PlaneContext, remote: StatusMessage): Verdict<StatusRejectCode> {
  if (remote.chainId !== ctx.chainId) {
    return { action: "reject", code: "STATUS_WRONG_CHAIN_ID", detail: `chain id ${remote.chainId} != ${ctx.chainId}` };
  }
  if (!bytesEqual(remote.genesisHash, ctx.genesisHash)) {
    return { action: "reject", code: "STATUS_WRONG_GENESIS", detail: `genesis ${toHex(remote.genesisHash)}` };
  }
  return { action: "accept" };
}

function localStatus(ctx: PlaneContext): Uint8Array {
  const s = ctx.handlers.status();
  return encodeStatus({ chainId: ctx.chainId, genesisHash: ctx.genesisHash, ...s });
}

function addressOf(ctx: PlaneContext, peerId: string): string {
  const c = ctx.node.getConnections(peerIdFromString(peerId)).find((x) => x.status === "open");
  return c?.remoteAddr.toString() ?? "";
}

/** Logs once, drops every connection to a peer on another chain, and refuses it for refuseIncompatibleMs. */
export function disconnectIncompatible(ctx: PlaneContext, peerId: string, reason: string): void {
  ctx.log("warn", "p2p: peer is on another chain, disconnecting", { peerId, reason, refusedMs: ctx.limits.refuseIncompatibleMs });
  ctx.peers.refuse(peerId, Date.now() + ctx.limits.refuseIncompatibleMs);
  ctx.node.hangUp(peerIdFromString(peerId)).catch(() => {});
}

/** Inbound status stream. Never throws. */
export async function serveStatus(ctx: PlaneContext, stream: Stream, connection: Connection): Promise<void> {
  const peerId = connection.remotePeer.toString();
  trackStream(ctx, stream);
  const signal = deadline(ctx, ctx.limits.statusTimeoutMs);
  const reader = new FrameReader(stream);
  try {
    const frame = await reader.readFrame(STATUS_BYTES, signal);
    if (frame.kind !== "frame") return rejectStream(ctx, stream, peerId, "status", frame.kind === "end" ? "no status sent" : frame.detail);
    const decoded = decodeStatus(frame.body);
    if (!decoded.ok) return rejectStream(ctx, stream, peerId, "status", decoded.detail);
    const verdict = validatePeerStatus(ctx, decoded.value);
    if (verdict.action !== "accept") {
      stream.abort(new Error(verdict.code));
      return disconnectIncompatible(ctx, peerId, verdict.detail ?? verdict.code);
    }
    const { finalizedHeight, finalizedHash } = decoded.value;
    if (!ctx.peers.markVerified(peerId, connection.remoteAddr.toString(), finalizedHeight, finalizedHash)) {
      ctx.log("warn", "p2p: peer book full, refusing peer", { peerId });
      stream.abort(new Error("peer book full"));
      return;
    }
    await writeFrame(stream, localStatus(ctx), signal);
    await finishStream(stream, signal);
  } catch (err) {
    ctx.log("debug", "p2p: status stream failed", { peerId, error: (err as Error).message });
    stream.abort(err as Error);
  } finally {
    reader.release();
  }
}

/**
 * Sends our status to peerId and reads its answer; on success the peer is verified and its status recorded.
 * Throws P2pError: P2P_ERROR_INCOMPATIBLE_PEER (already disconnected and logged), P2P_ERROR_BAD_RESPONSE,
 * P2P_ERROR_TIMEOUT, and openStream's codes.
 */
export async function exchangeStatus(ctx: PlaneContext, peerId: string, caller?: AbortSignal): Promise<StatusMessage> {
  const signal = deadline(ctx, ctx.limits.statusTimeoutMs, caller);
  let stream: Stream;
  try {
    stream = await openStream(ctx, peerId, "status", signal);
  } catch (err) {
    if (err instanceof P2pError && err.code === "P2P_ERROR_STREAM" && err.data.name === "UnsupportedProtocolError") {
      disconnectIncompatible(ctx, peerId, "does not speak this chain id's protocols");
      throw new P2pError("P2P_ERROR_INCOMPATIBLE_PEER", "peer does not serve this chain id", { peerId });
    }
    throw err;
  }
  const reader = new FrameReader(stream);
  try {
    await writeFrame(stream, localStatus(ctx), signal);
    await stream.close({ signal });
    const frame = await reader.readFrame(STATUS_BYTES, signal);
    if (frame.kind === "error" && frame.code === "FRAME_ERROR_TIMEOUT") throw new P2pError(abortCode(ctx), "status: signal fired", { peerId });
    if (frame.kind !== "frame") throw badResponse(peerId, frame.kind === "end" ? "no status answered" : frame.detail);
    const decoded = decodeStatus(frame.body);
    if (!decoded.ok) throw badResponse(peerId, decoded.detail);
    const verdict = validatePeerStatus(ctx, decoded.value);
    if (verdict.action !== "accept") {
      disconnectIncompatible(ctx, peerId, verdict.detail ?? verdict.code);
      throw new P2pError("P2P_ERROR_INCOMPATIBLE_PEER", verdict.detail ?? verdict.code, { peerId });
    }
    const { finalizedHeight, finalizedHash } = decoded.value;
    ctx.peers.markVerified(peerId, addressOf(ctx, peerId), finalizedHeight, finalizedHash);
    await finishStream(stream, signal);
    return decoded.value;
  } catch (err) {
    stream.abort(err as Error);
    if (err instanceof P2pError) throw err;
    throw new P2pError(signal.aborted ? abortCode(ctx) : "P2P_ERROR_STREAM", (err as Error).message, { peerId });
  } finally {
    reader.release();
  }
}

function badResponse(peerId: string, detail: string): P2pError {
  return new P2pError("P2P_ERROR_BAD_RESPONSE", `bad status answer: ${detail}`, { peerId });
}
