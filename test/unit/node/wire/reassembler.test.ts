// The reassembler against untrusted input: a 2 MB proposal in random order with duplicates comes out once, its
// root verified once; forged, cut and foreign shreds are dropped and counted; floods stay within the bounds.
import { describe, expect, it } from "vitest";
import { encodeProposal } from "../../../../consensus/codec/proposal-codec.ts";
import { bytesEqual } from "../../../../consensus/crypto/hash.ts";
import { checkShredShape, decodeShred, encodeShred, SHRED_FIXED_BYTES } from "../../../../node/wire/shred.ts";
import { Reassembler, type ReassemblerOptions } from "../../../../node/wire/reassembler.ts";
import { shredMessage } from "../../../../node/wire/shredder.ts";
import { CHAIN_ID, leaderKey, patternBytes, proposalOfSize, shuffled, signer, verify } from "./wire-fixture.ts";

function reassembler(options: Partial<ReassemblerOptions> = {}): Reassembler {
  return new Reassembler({ chainId: CHAIN_ID, leaderKey, verify, ...options });
}

function shreds(bytes: Uint8Array, view: number, leaderIndex = view % 8, chainId = CHAIN_ID, sign = signer(leaderIndex)): Uint8Array[] {
  return shredMessage(bytes, { chainId, view, leaderIndex, sign });
}

describe("Reassembler", () => {
  it("rebuilds a 2 MB proposal from shreds in random order with duplicates, exactly once, verifying the root once", () => {
    const message = encodeProposal(proposalOfSize(5, 2 * 1024 * 1024));
    const all = shreds(message, 5);
    expect(all.length).toBeGreaterThan(1500);
    const withDuplicates = shuffled([...all, ...all.slice(0, 300), ...all.slice(700, 900)], 11);
    const r = reassembler();
    const completions: Uint8Array[] = [];
    for (const payload of withDuplicates) {
      const out = r.add(payload);
      if (out.complete) completions.push(out.complete);
      expect(out.verdict.action === "accept" || (out.verdict.action === "ignore" && /DUPLICATE|COMPLETED/.test(out.verdict.code))).toBe(true);
    }
    expect(completions).toHaveLength(1);
    expect(bytesEqual(completions[0]!, message)).toBe(true);
    const s = r.stats();
    expect(s.signaturesVerified).toBe(1);
    expect(s.messagesCompleted).toBe(1);
    expect(s.shredsAccepted).toBe(all.length);
    expect((s.drops.WIRE_IGNORE_DUPLICATE ?? 0) + (s.drops.WIRE_IGNORE_COMPLETED ?? 0)).toBe(500);
    expect(s.messagesInProgress).toBe(0);
    expect(s.bufferedBytes).toBe(0);
  });

  it("keeps copies: overwriting a payload after add() does not change the message", () => {
    const message = patternBytes(20_000, 3);
    const r = reassembler();
    let complete: Uint8Array | undefined;
    for (const payload of shreds(message, 2)) {
      complete = r.add(payload).complete ?? complete;
      payload.fill(0xee);
    }
    expect(complete && bytesEqual(complete, message)).toBe(true);
  });

  it("keeps copies of node Buffers too, whose slice() would be a view", () => {
    const message = patternBytes(20_000, 8);
    const r = reassembler();
    let complete: Uint8Array | undefined;
    for (const shred of shreds(message, 2)) {
      const payload = Buffer.from(shred);
      complete = r.add(payload).complete ?? complete;
      payload.fill(0xee);
    }
    expect(complete && bytesEqual(complete, message)).toBe(true);
  });

  it("drops and counts a bad proof, a bad signature, a wrong chain, a cut shred and a forged size", () => {
    const message = patternBytes(10_000, 4);
    const good = shreds(message, 3);
    const r = reassembler();

    const badChunk = good[1]!.slice();
    badChunk[badChunk.length - 1]! ^= 1;
    expect(r.add(badChunk).verdict).toMatchObject({ action: "reject", code: "WIRE_REJECT_BAD_PROOF" });

    const forged = shreds(message, 3, 3, CHAIN_ID, signer(4)); // signed by validator 4, claims 3
    expect(r.add(forged[0]!).verdict).toMatchObject({ action: "reject", code: "WIRE_REJECT_BAD_SIGNATURE" });

    const foreign = shreds(message, 3, 3, CHAIN_ID + 1n);
    expect(r.add(foreign[0]!).verdict).toMatchObject({ action: "reject", code: "WIRE_REJECT_WRONG_CHAIN" });

    expect(r.add(good[2]!.subarray(0, good[2]!.length - 5)).verdict).toMatchObject({ code: "WIRE_REJECT_TRUNCATED" });
    expect(r.add(good[2]!.subarray(0, SHRED_FIXED_BYTES - 10)).verdict).toMatchObject({ code: "WIRE_REJECT_TRUNCATED" });

    expect(r.add(good[0]!).verdict.action).toBe("accept");
    // Same root, other size: the signature is not checked again, so the size must agree with the verified one.
    // (A chunk whose span does not change with one byte more, so only the size check can catch it.)
    const resized = good
      .map((p) => decodeShred(p))
      .flatMap((d) => (d.ok ? [{ ...d.value, totalBytes: d.value.totalBytes + 1 }] : []))
      .find((x) => x.index > 0 && checkShredShape(x) === null)!;
    expect(r.add(encodeShred(resized)).verdict).toMatchObject({ code: "WIRE_REJECT_MISMATCH" });

    const badVersion = good[1]!.slice();
    badVersion[1] = 2;
    expect(r.add(badVersion).verdict).toMatchObject({ code: "WIRE_REJECT_BAD_VERSION" });
    const unknownSender = shreds(message, 3, 200, CHAIN_ID, signer(3));
    expect(r.add(unknownSender[0]!).verdict).toMatchObject({ action: "ignore", code: "WIRE_IGNORE_UNKNOWN_SENDER" });

    expect(r.stats().drops).toEqual({
      WIRE_REJECT_BAD_PROOF: 1,
      WIRE_REJECT_BAD_SIGNATURE: 1,
      WIRE_REJECT_WRONG_CHAIN: 1,
      WIRE_REJECT_TRUNCATED: 2,
      WIRE_REJECT_MISMATCH: 1,
      WIRE_REJECT_BAD_VERSION: 1,
      WIRE_IGNORE_UNKNOWN_SENDER: 1,
    });
    // The good shreds still complete the message.
    let complete: Uint8Array | undefined;
    for (const payload of good.slice(1)) complete = r.add(payload).complete ?? complete;
    expect(complete && bytesEqual(complete, message)).toBe(true);
  });

  it("never throws on arbitrary or mutated datagrams", () => {
    const r = reassembler();
    const good = shreds(patternBytes(5_000, 5), 7);
    for (let i = 0; i < 2000; i++) {
      const p = good[i % good.length]!.slice();
      const at = (i * 7919) % p.length;
      p[at] = (p[at]! + 1 + (i % 255)) & 0xff;
      const cut = i % 3 === 0 ? p.subarray(0, (i * 31) % p.length) : p;
      expect(() => r.add(cut)).not.toThrow();
    }
    expect(r.stats().messagesCompleted).toBe(0);
  });

  it("stays within its bounds when many views are flooded, evicting the oldest views first", () => {
    const r = reassembler({ messagesInProgressMax: 8, messagesPerSignerMax: 100, viewsBehindMax: 1000 });
    for (let view = 1; view <= 100; view++) {
      const part = shreds(patternBytes(8_000, view), view, 0);
      r.add(part[0]!); // never completes
      const s = r.stats();
      expect(s.messagesInProgress).toBe(Math.min(view, 8));
    }
    const s = r.stats();
    expect(s.evictions.full).toBe(92);
    // The oldest kept view is 93: a shred of view 50 cannot displace anything newer.
    const old = shreds(patternBytes(8_000, 50), 50, 0);
    expect(r.add(old[0]!).verdict).toMatchObject({ action: "ignore", code: "WIRE_IGNORE_FULL" });
    const newest = shreds(patternBytes(8_000, 100), 100, 0);
    let complete: Uint8Array | undefined;
    for (const p of newest.slice(1)) complete = r.add(p).complete ?? complete;
    expect(complete).toBeDefined();
  });

  it("limits one signer's share of the messages in progress", () => {
    const r = reassembler({ messagesInProgressMax: 16, messagesPerSignerMax: 2 });
    for (let view = 1; view <= 10; view++) r.add(shreds(patternBytes(8_000, view), view, 1)[0]!);
    r.add(shreds(patternBytes(8_000, 3), 3, 2)[0]!);
    const s = r.stats();
    expect(s.messagesInProgress).toBe(3);
    expect(s.evictions.signerFull).toBe(8);
  });

  it("bounds the bytes buffered, evicting older views for newer ones", () => {
    const r = reassembler({ bufferedBytesMax: 200_000, messageBytesMax: 100_000, shredsPerMessageMax: 1000 });
    for (let view = 1; view <= 20; view++) {
      const part = shreds(patternBytes(60_000, view), view, 0);
      for (const p of part.slice(0, part.length - 1)) r.add(p); // all but the last chunk
      expect(r.stats().bufferedBytes).toBeLessThanOrEqual(200_000);
    }
    expect(r.stats().evictions.bytes).toBeGreaterThan(10);
    expect(r.add(shreds(patternBytes(100_001, 1), 21, 0)[0]!).verdict).toMatchObject({ code: "WIRE_REJECT_TOO_LARGE" });
    expect(() => reassembler({ bufferedBytesMax: 1000, messageBytesMax: 100_000 })).toThrowError(/WIRE_ERROR_BAD_OPTIONS/);
  });

  it("drops shreds far below the newest view and forgets stale work", () => {
    const r = reassembler({ viewsBehindMax: 10 });
    r.add(shreds(patternBytes(8_000, 1), 5, 1)[0]!);
    expect(r.stats().messagesInProgress).toBe(1);
    r.add(shreds(patternBytes(8_000, 2), 100, 1)[0]!);
    const s = r.stats();
    expect(s.newestView).toBe(100);
    expect(s.messagesInProgress).toBe(1);
    expect(s.evictions.stale).toBe(1);
    expect(r.add(shreds(patternBytes(8_000, 3), 89, 2)[0]!).verdict).toMatchObject({ code: "WIRE_IGNORE_VIEW_TOO_OLD" });
    expect(r.add(shreds(patternBytes(8_000, 3), 90, 2)[0]!).verdict.action).toBe("accept");
  });

  it("does not let a bad signature move the view horizon", () => {
    const r = reassembler({ viewsBehindMax: 10 });
    r.add(shreds(patternBytes(100, 1), 1_000_000, 1, CHAIN_ID, signer(2))[0]!);
    expect(r.stats().newestView).toBe(0);
    expect(r.add(shreds(patternBytes(100, 1), 5, 1)[0]!).complete).toBeDefined();
  });
});
