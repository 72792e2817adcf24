// Messages to datagrams and back: one frame for votes and small certificates, shreds for proposals and large
// certificates; unknown types, other versions, other chains, cut frames and mismatched views are counted drops.
import { describe, expect, it } from "vitest";
import { encodeProposal } from "../../../../consensus/codec/proposal-codec.ts";
import { ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import type { Message } from "../../../../consensus/simplex/types.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import { decodeDatagram, encodeMessage, ShreddedKind, type DecodeOutcome } from "../../../../node/wire/data-plane-codec.ts";
import { FrameType } from "../../../../node/wire/frame-header.ts";
import { Reassembler } from "../../../../node/wire/reassembler.ts";
import { shredMessage } from "../../../../node/wire/shredder.ts";
import { CHAIN_ID, certificate, leaderKey, proposalOfSize, shuffled, signer, verify, vote } from "./wire-fixture.ts";

const ctx = { chainId: CHAIN_ID, senderIndex: 2, sign: signer(2) };

function decoder() {
  const reassembler = new Reassembler({ chainId: CHAIN_ID, leaderKey, verify });
  return (payload: Uint8Array): DecodeOutcome => decodeDatagram(payload, { chainId: CHAIN_ID, reassembler });
}

function deliverAll(payloads: Uint8Array[]): Message[] {
  const decode = decoder();
  return payloads.flatMap((p) => {
    const out = decode(p);
    expect(out.verdict.action).toBe("accept");
    return out.message ? [out.message] : [];
  });
}

describe("data-plane codec", () => {
  it("sends a vote as one frame and decodes it back", () => {
    const message: Message = { type: "vote", vote: vote(3, { kind: VoteKind.Notarize, view: 12, blockHash: new Uint8Array(32).fill(7) }) };
    const payloads = encodeMessage(message, ctx);
    expect(payloads).toHaveLength(1);
    expect(payloads[0]![0]).toBe(FrameType.vote);
    expect(payloads[0]!.length).toBe(10 + 109);
    expect(deliverAll(payloads)).toEqual([message]);
  });

  it("decodes a borrowed node Buffer into values that do not alias it", () => {
    const message: Message = { type: "vote", vote: vote(3, { kind: VoteKind.Finalize, view: 12, blockHash: new Uint8Array(32).fill(7) }) };
    const payload = Buffer.from(encodeMessage(message, ctx)[0]!);
    const out = decoder()(payload);
    payload.fill(0xee);
    expect(out.message).toEqual(message);
  });

  it("sends a certificate that fits as one frame, and a larger one as shreds", () => {
    const small: Message = { type: "certificate", certificate: certificate(4, 20) };
    const payloads = encodeMessage(small, ctx);
    expect(payloads).toHaveLength(1);
    expect(payloads[0]![0]).toBe(FrameType.certificate);
    expect(deliverAll(payloads)).toEqual([small]);

    const large: Message = { type: "certificate", certificate: certificate(4, 100) };
    const shreds = encodeMessage(large, ctx);
    expect(shreds.length).toBeGreaterThan(1);
    expect(shreds.every((s) => s[0] === FrameType.shred && s.length <= 1472)).toBe(true);
    expect(deliverAll(shuffled(shreds, 3))).toEqual([large]);
  });

  it("shreds a proposal, and honours a smaller payload limit", () => {
    const message: Message = { type: "proposal", proposal: proposalOfSize(6, 200_000) };
    for (const payloadMaxBytes of [1472, 1000]) {
      const shreds = encodeMessage(message, { ...ctx, payloadMaxBytes });
      expect(shreds.every((s) => s[0] === FrameType.shred && s.length <= payloadMaxBytes)).toBe(true);
      expect(deliverAll(shuffled(shreds, payloadMaxBytes))).toEqual([message]);
    }
    const tiny: Message = { type: "proposal", proposal: proposalOfSize(1, 0) };
    expect(deliverAll(encodeMessage(tiny, ctx))).toEqual([tiny]);
  });

  it("refuses to shred for a non-validator, but still sends its votes and small certificates", () => {
    const observer = { chainId: CHAIN_ID };
    expect(() => encodeMessage({ type: "proposal", proposal: proposalOfSize(6, 1000) }, observer)).toThrowError(/WIRE_ERROR_NOT_VALIDATOR/);
    expect(() => encodeMessage({ type: "certificate", certificate: certificate(4, 100) }, observer)).toThrowError(/WIRE_ERROR_NOT_VALIDATOR/);
    expect(encodeMessage({ type: "certificate", certificate: certificate(4, 3) }, observer)).toHaveLength(1);
  });

  it("drops unknown frame types, other versions, other chains and cut frames, each with its code", () => {
    const decode = decoder();
    const [voteFrame] = encodeMessage({ type: "vote", vote: vote(1, { kind: VoteKind.Nullify, view: 3, blockHash: ZERO_HASH }) }, ctx);
    const with0 = (at: number, value: number) => {
      const p = voteFrame!.slice();
      p[at] = value;
      return p;
    };
    expect(decode(with0(0, 0x7f)).verdict).toMatchObject({ action: "reject", code: "WIRE_REJECT_UNKNOWN_FRAME" });
    expect(decode(with0(1, 9)).verdict).toMatchObject({ code: "WIRE_REJECT_BAD_VERSION" });
    expect(decode(with0(9, 0xff)).verdict).toMatchObject({ code: "WIRE_REJECT_WRONG_CHAIN" });
    expect(decode(voteFrame!.subarray(0, 50)).verdict).toMatchObject({ code: "WIRE_REJECT_TRUNCATED" });
    expect(decode(voteFrame!.subarray(0, 5)).verdict).toMatchObject({ code: "WIRE_REJECT_TRUNCATED" });
    expect(decode(new Uint8Array(0)).verdict).toMatchObject({ code: "WIRE_REJECT_TRUNCATED" });
    expect(decode(with0(10, 9)).verdict).toMatchObject({ code: "WIRE_REJECT_MALFORMED" }); // vote kind 9
    const longer = new Uint8Array(voteFrame!.length + 1);
    longer.set(voteFrame!);
    expect(decode(longer).verdict).toMatchObject({ code: "WIRE_REJECT_MALFORMED" });
    expect(decode(voteFrame!).message?.type).toBe("vote");
  });

  it("rejects a shredded message whose contents name another view than its shreds were signed for", () => {
    const proposal = proposalOfSize(6, 5000);
    const body = encodeProposal(proposal);
    const bytes = new Uint8Array(1 + body.length);
    bytes[0] = ShreddedKind.proposal;
    bytes.set(body, 1);
    const decode = decoder();
    const outs = shredMessage(bytes, { chainId: CHAIN_ID, view: 7, leaderIndex: 2, sign: signer(2) }).map(decode);
    expect(outs[outs.length - 1]!.verdict).toMatchObject({ code: "WIRE_REJECT_VIEW_MISMATCH" });
    expect(outs.some((o) => o.message)).toBe(false);

    bytes[0] = 0x33;
    const unknown = shredMessage(bytes, { chainId: CHAIN_ID, view: 6, leaderIndex: 2, sign: signer(2) }).map(decoder());
    expect(unknown[unknown.length - 1]!.verdict).toMatchObject({ code: "WIRE_REJECT_MALFORMED" });
  });
});
