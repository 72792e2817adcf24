// Simplex messages (consensus/simplex/types.ts) to data-plane datagram payloads and back. A vote, or a
// certificate that fits, is one frame: frame header (frame-header.ts) then the consensus encoding. A proposal,
// or a certificate too large for one datagram, is shredded (shredder.ts): the shredded bytes are a kind byte
// then the encoding, signed by the sending validator. Decoding returns a verdict, never throws on peer bytes.
// Not the sending and pacing (data-plane.ts) nor the reassembly state (reassembler.ts).

import { ByteWriter } from "../../consensus/codec/byte-writer.ts";
import { decodeCertificate, encodeCertificate, writeCertificate } from "../../consensus/codec/certificate-codec.ts";
import type { DecodeResult } from "../../consensus/codec/codec-error.ts";
import { decodeProposal, encodeProposal } from "../../consensus/codec/proposal-codec.ts";
import { decodeVote, VOTE_BYTES, writeVote } from "../../consensus/codec/vote-codec.ts";
import type { Message } from "../../consensus/simplex/types.ts";
import type { Signature } from "../../consensus/types.ts";
import { checkFrameHeader, FRAME_HEADER_BYTES, FrameType, plainBytes, writeFrameHeader } from "./frame-header.ts";
import type { Reassembler } from "./reassembler.ts";
import { PAYLOAD_MAX_BYTES_DEFAULT, shredMessage } from "./shredder.ts";
import { reject, WireError, type WireVerdict } from "./wire-errors.ts";

/** First byte of a shredded message: what the reassembled bytes hold. Numbers are never reused. */
export const ShreddedKind = { certificate: 0x01, proposal: 0x02 } as const;

export interface EncodeContext {
  chainId: bigint;
  payloadMaxBytes?: number;
  /** This node's validator index in the epoch of the message's view; undefined for a non-validator. */
  senderIndex?: number;
  /** Signs with this node's ed25519 validator key; needed only to shred. */
  sign?: (message: Uint8Array) => Signature;
}

export interface DecodeContext {
  chainId: bigint;
  reassembler: Reassembler;
}

/** What a lane frame carries after the frame header: one kind byte, then the body. Numbers are never reused. */
export const LaneFrameKind = { receipts: 0x01, order: 0x02 } as const;
export type LaneFrameKind = (typeof LaneFrameKind)[keyof typeof LaneFrameKind];

/** A lane frame: opaque to the data plane (node/lane decodes and validates it). The body is an owned copy. */
export interface LaneFrame {
  kind: LaneFrameKind;
  body: Uint8Array;
}

export function encodeLaneFrame(kind: LaneFrameKind, body: Uint8Array, chainId: bigint): Uint8Array {
  const w = new ByteWriter(FRAME_HEADER_BYTES + 1 + body.length);
  writeFrameHeader(w, FrameType.lane, chainId);
  return w.u8(kind).fixed(body, body.length).finish();
}

export interface DecodeOutcome {
  verdict: WireVerdict;
  /** Present for a lane frame. */
  lane?: LaneFrame;
  /** Present when this datagram completed a message (at once for votes and small certificates). */
  message?: Message;
  frameType?: FrameType;
}

/**
 * Datagram payloads for one message, each at most payloadMaxBytes. Throws WireError NOT_VALIDATOR when the
 * message needs shreds and this node has no validator index or key (a non-validator never sends proposals).
 */
export function encodeMessage(message: Message, ctx: EncodeContext): Uint8Array[] {
  const payloadMaxBytes = ctx.payloadMaxBytes ?? PAYLOAD_MAX_BYTES_DEFAULT;
  switch (message.type) {
    case "vote": {
      const w = new ByteWriter(FRAME_HEADER_BYTES + VOTE_BYTES);
      writeFrameHeader(w, FrameType.vote, ctx.chainId);
      writeVote(w, message.vote);
      return [w.finish()];
    }
    case "certificate": {
      const signersBytes = message.certificate.signers.length * 68;
      if (FRAME_HEADER_BYTES + 45 + signersBytes <= payloadMaxBytes) {
        const w = new ByteWriter(FRAME_HEADER_BYTES + 45 + signersBytes);
        writeFrameHeader(w, FrameType.certificate, ctx.chainId);
        writeCertificate(w, message.certificate);
        return [w.finish()];
      }
      const body = encodeCertificate(message.certificate);
      return shred(ShreddedKind.certificate, body, message.certificate.view, ctx, payloadMaxBytes);
    }
    case "proposal":
      return shred(ShreddedKind.proposal, encodeProposal(message.proposal), message.proposal.view, ctx, payloadMaxBytes);
  }
}

function shred(kind: number, body: Uint8Array, view: number, ctx: EncodeContext, payloadMaxBytes: number): Uint8Array[] {
  if (ctx.senderIndex === undefined || !ctx.sign) {
    throw new WireError("WIRE_ERROR_NOT_VALIDATOR", "only a validator signs shreds", { view, kind });
  }
  const bytes = new Uint8Array(1 + body.length);
  bytes[0] = kind;
  bytes.set(body, 1);
  return shredMessage(bytes, { chainId: ctx.chainId, view, leaderIndex: ctx.senderIndex, sign: ctx.sign, payloadMaxBytes });
}

/** One received payload (borrowed; nothing kept refers to it). */
export function decodeDatagram(received: Uint8Array, ctx: DecodeContext): DecodeOutcome {
  const payload = plainBytes(received);
  const header = checkFrameHeader(payload, ctx.chainId);
  if (!header.ok) return { verdict: header.verdict };
  const frameType = header.type;
  const body = payload.subarray(FRAME_HEADER_BYTES);
  switch (frameType) {
    case FrameType.vote:
      return fromResult(decodeVote(body), frameType, (vote) => ({ type: "vote", vote }));
    case FrameType.certificate:
      return fromResult(decodeCertificate(body), frameType, (certificate) => ({ type: "certificate", certificate }));
    case FrameType.shred: {
      const r = ctx.reassembler.add(payload);
      if (!r.complete) return { verdict: r.verdict, frameType };
      return decodeShredded(r.complete, r.view!, frameType);
    }
    case FrameType.lane: {
      const kind = body[0];
      if (kind !== LaneFrameKind.receipts && kind !== LaneFrameKind.order) {
        return { verdict: reject("WIRE_REJECT_MALFORMED", `lane frame kind ${kind}`), frameType };
      }
      return { verdict: { action: "accept" }, frameType, lane: { kind, body: body.slice(1) } };
    }
  }
}

function decodeShredded(bytes: Uint8Array, view: number, frameType: FrameType): DecodeOutcome {
  const body = bytes.subarray(1);
  let outcome: DecodeOutcome;
  if (bytes[0] === ShreddedKind.proposal) {
    outcome = fromResult(decodeProposal(body), frameType, (proposal) => ({ type: "proposal", proposal }));
  } else if (bytes[0] === ShreddedKind.certificate) {
    outcome = fromResult(decodeCertificate(body), frameType, (certificate) => ({ type: "certificate", certificate }));
  } else {
    return { verdict: reject("WIRE_REJECT_MALFORMED", `shredded kind ${bytes[0]}`), frameType };
  }
  // The view in the shreds drove the reassembler's horizon and eviction: it must be the message's own.
  const m = outcome.message;
  const messageView = m?.type === "proposal" ? m.proposal.view : m?.type === "certificate" ? m.certificate.view : view;
  if (messageView !== view) return { verdict: reject("WIRE_REJECT_VIEW_MISMATCH", `signed for ${view}, holds ${messageView}`), frameType };
  return outcome;
}

function fromResult<T>(result: DecodeResult<T>, frameType: FrameType, wrap: (value: T) => Message): DecodeOutcome {
  if (result.ok) return { verdict: { action: "accept" }, message: wrap(result.value), frameType };
  const code = result.code === "CODEC_ERROR_TRUNCATED" ? "WIRE_REJECT_TRUNCATED" : "WIRE_REJECT_MALFORMED";
  return { verdict: reject(code, result.detail), frameType };
}
