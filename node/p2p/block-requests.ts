// Block sync and repair by request/response: blocks-by-range (one request frame, then up to rangeItemsMax item
// frames, then the server ends its side) and block-by-hash (one request frame, one tagged answer frame).
// Items are opaque: the node encodes and checks them; this file bounds their number and size only.
// Servers never throw (a misbehaving peer gets its stream reset and a log line); clients throw P2pError.
import type { Connection, Stream } from "@libp2p/interface";
import { FrameReader, finishStream, writeFrame, type FrameReadResult } from "./frame-stream.ts";
import { P2pError } from "./p2p-error.ts";
import { abortCode, deadline, openStream, rejectStream, trackStream, type PlaneContext } from "./plane-context.ts";
import {
  decodeHashRequest,
  decodeHashResponse,
  decodeRangeRequest,
  encodeHashResponse,
  encodeRangeRequest,
  HASH_REQUEST_BYTES,
  RANGE_REQUEST_BYTES,
  type ProtocolName,
} from "./wire-messages.ts";

/** Shared server shape: verified peers only, one bounded request frame, answer, finish; never throws. */
async function serve(
  ctx: PlaneContext,
  name: ProtocolName,
  stream: Stream,
  connection: Connection,
  requestBytesMax: number,
  answer: (request: Uint8Array, peerId: string, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const peerId = connection.remotePeer.toString();
  trackStream(ctx, stream);
  if (!ctx.peers.isVerified(peerId)) return rejectStream(ctx, stream, peerId, name, "request before status handshake");
  const signal = deadline(ctx, ctx.limits.serveTimeoutMs);
  const reader = new FrameReader(stream);
  try {
    const frame = await reader.readFrame(requestBytesMax, signal);
    if (frame.kind !== "frame") return rejectStream(ctx, stream, peerId, name, frame.kind === "end" ? "no request sent" : frame.detail);
    await answer(frame.body, peerId, signal);
    if (stream.status === "open") await finishStream(stream, signal);
  } catch (err) {
    ctx.log("debug", `p2p: ${name} answer failed`, { peerId, error: (err as Error).message });
    stream.abort(err as Error);
  } finally {
    reader.release();
  }
}

export function serveBlocksByRange(ctx: PlaneContext, stream: Stream, connection: Connection): Promise<void> {
  return serve(ctx, "blocks-by-range", stream, connection, RANGE_REQUEST_BYTES, async (body, peerId, signal) => {
    const request = decodeRangeRequest(body);
    if (!request.ok) return rejectStream(ctx, stream, peerId, "blocks-by-range", request.detail);
    const count = Math.min(request.value.count, ctx.limits.rangeItemsMax);
    const items = await ctx.handlers.blocksByRange(request.value.fromHeight, count);
    let totalBytes = 0;
    for (const item of items.slice(0, count)) {
      totalBytes += item.length;
      if (item.length > ctx.limits.itemBytesMax || totalBytes > ctx.limits.rangeResponseBytesMax) {
        // Our own node produced it; answer with the items before it rather than break the peer's read.
        ctx.log("warn", "p2p: blocks-by-range item over the limits, answer cut short", { bytes: item.length });
        break;
      }
      await writeFrame(stream, item, signal);
    }
  });
}

export function serveBlockByHash(ctx: PlaneContext, stream: Stream, connection: Connection): Promise<void> {
  return serve(ctx, "block-by-hash", stream, connection, HASH_REQUEST_BYTES, async (body, peerId, signal) => {
    const request = decodeHashRequest(body);
    if (!request.ok) return rejectStream(ctx, stream, peerId, "block-by-hash", request.detail);
    let item = await ctx.handlers.blockByHash(request.value);
    if (item !== undefined && item.length > ctx.limits.itemBytesMax) {
      ctx.log("warn", "p2p: block-by-hash item over itemBytesMax, answered not found", { bytes: item.length });
      item = undefined;
    }
    await writeFrame(stream, encodeHashResponse(item), signal);
  });
}

/** Maps a failed frame read to the error a requesting caller sees. */
function readFailure(ctx: PlaneContext, peerId: string, frame: Exclude<FrameReadResult, { kind: "frame" }>, what: string): P2pError {
  if (frame.kind === "error" && frame.code === "FRAME_ERROR_TIMEOUT") return new P2pError(abortCode(ctx), `${what}: signal fired`, { peerId });
  const detail = frame.kind === "end" ? "stream ended early" : frame.detail;
  return new P2pError("P2P_ERROR_BAD_RESPONSE", `${what}: ${detail}`, { peerId });
}

/** Runs one client exchange on a fresh stream; aborts the stream on any failure and maps errors to P2pError. */
async function request<T>(
  ctx: PlaneContext,
  peerId: string,
  name: ProtocolName,
  body: Uint8Array,
  caller: AbortSignal,
  readAnswer: (reader: FrameReader, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!ctx.peers.isVerified(peerId)) throw new P2pError("P2P_ERROR_PEER_UNKNOWN", `peer ${peerId} not connected or not verified`, { peerId });
  const signal = deadline(ctx, ctx.limits.requestTimeoutMs, caller);
  const stream = await openStream(ctx, peerId, name, signal);
  const reader = new FrameReader(stream);
  try {
    await writeFrame(stream, body, signal);
    await stream.close({ signal });
    const answer = await readAnswer(reader, signal);
    await finishStream(stream, signal);
    return answer;
  } catch (err) {
    stream.abort(err as Error);
    if (ctx.stopSignal.aborted) throw new P2pError("P2P_ERROR_STOPPED", `${name}: control plane stopped`, { peerId });
    if (err instanceof P2pError) throw err;
    throw new P2pError(signal.aborted ? abortCode(ctx) : "P2P_ERROR_STREAM", `${name}: ${(err as Error).message}`, { peerId });
  } finally {
    reader.release();
  }
}

/** Up to `count` items from `fromHeight`; fewer if the peer has fewer. count must be 1..rangeItemsMax. */
export async function requestBlocksByRange(
  ctx: PlaneContext,
  peerId: string,
  fromHeight: number,
  count: number,
  caller: AbortSignal,
): Promise<Uint8Array[]> {
  if (!Number.isInteger(count) || count < 1 || count > ctx.limits.rangeItemsMax) {
    throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", `count must be 1..${ctx.limits.rangeItemsMax}`, { count });
  }
  if (!Number.isSafeInteger(fromHeight) || fromHeight < 0) throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "bad fromHeight", { fromHeight });
  const body = encodeRangeRequest({ fromHeight, count });
  return request(ctx, peerId, "blocks-by-range", body, caller, async (reader, signal) => {
    const items: Uint8Array[] = [];
    let totalBytes = 0;
    for (;;) {
      const bytesLeft = Math.min(ctx.limits.itemBytesMax, ctx.limits.rangeResponseBytesMax - totalBytes);
      const frame = await reader.readFrame(bytesLeft, signal);
      if (frame.kind === "end") return items;
      if (frame.kind === "error") throw readFailure(ctx, peerId, frame, "blocks-by-range");
      if (items.length === count) throw new P2pError("P2P_ERROR_BAD_RESPONSE", `more than ${count} items`, { peerId });
      totalBytes += frame.body.length;
      items.push(frame.body);
    }
  });
}

/** The item with this hash from peerId, or undefined if the peer does not have it. */
export async function requestBlockByHash(ctx: PlaneContext, peerId: string, hash: Uint8Array, caller: AbortSignal): Promise<Uint8Array | undefined> {
  if (hash.length !== HASH_REQUEST_BYTES) throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "hash must be 32 bytes");
  return request(ctx, peerId, "block-by-hash", hash, caller, async (reader, signal) => {
    const frame = await reader.readFrame(1 + ctx.limits.itemBytesMax, signal);
    if (frame.kind !== "frame") throw readFailure(ctx, peerId, frame, "block-by-hash");
    const decoded = decodeHashResponse(frame.body);
    if (!decoded.ok) throw new P2pError("P2P_ERROR_BAD_RESPONSE", `block-by-hash: ${decoded.detail}`, { peerId });
    const after = await reader.readFrame(0, signal);
    if (after.kind !== "end") throw new P2pError("P2P_ERROR_BAD_RESPONSE", "block-by-hash: bytes after the answer", { peerId });
    return decoded.value;
  });
}
