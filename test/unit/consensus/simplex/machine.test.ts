// Unit tests of the Simplex machine's message flow: propose, verify, notarize, finalize, nullify on timeout,
// evidence, window limits, certificate checks, persist-before-send ordering, and restart without double-signing.

import { describe, expect, it } from "vitest";
import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { ZERO_HASH, bytesEqual } from "../../../../consensus/crypto/hash.ts";
import { restoreState } from "../../../../consensus/simplex/index.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import { simConfig } from "../../../sim/simulation.ts";
import { Driver, Fixture, GENESIS_HASH } from "./simplex-fixture.ts";

const fx = new Fixture(4);

function started(index: number): Driver {
  const d = new Driver(fx.machine(index), fx.state(index));
  d.feed({ type: "start" });
  return d;
}

describe("simplex machine", () => {
  it("the leader of view 1 asks the application to build on genesis", () => {
    const d = started(fx.set.leaderOf(1));
    const build = d.outputs.find((o) => o.type === "buildBlock");
    expect(build).toMatchObject({ type: "buildBlock", view: 1, parentView: 0, height: 1 });
    expect(d.outputs.filter((o) => o.type === "scheduleTimeout").map((o) => o.type === "scheduleTimeout" && o.kind)).toEqual(["leader", "notarization"]);
  });

  it("a replica verifies the proposal, then persists its notarize before broadcasting it", () => {
    const me = fx.follower(1);
    const d = started(me);
    const block = fx.block(1, GENESIS_HASH, 1);
    expect(d.feed(fx.proposal(1, 0, block)).verdict.action).toBe("accept");
    expect(d.outputs.some((o) => o.type === "verifyBlock")).toBe(true);
    expect(d.ownVotes()).toHaveLength(0);
    d.verifyAll();
    const persistAt = d.outputs.findIndex((o) => o.type === "persist" && o.records.some((r) => r.type === "ownVote"));
    const sendAt = d.outputs.findIndex((o) => o.type === "broadcast" && o.message.type === "vote" && o.message.vote.validator === me);
    expect(persistAt).toBeGreaterThanOrEqual(0);
    expect(sendAt).toBeGreaterThan(persistAt);
    expect(d.ownVotes()[0]).toMatchObject({ kind: VoteKind.Notarize, view: 1 });
  });

  it("a notarization quorum of votes sends finalize and enters the next view; finalize quorum commits", () => {
    const me = fx.follower(1);
    const d = started(me);
    const block = fx.block(1, GENESIS_HASH, 1);
    const hash = blockHash(block.header);
    d.feed(fx.proposal(1, 0, block));
    d.verifyAll();
    const others = [0, 1, 2, 3].filter((i) => i !== me && i !== fx.set.leaderOf(1));
    d.feed({ type: "vote", vote: fx.vote(others[0]!, { kind: VoteKind.Notarize, view: 1, blockHash: hash }) });
    expect(d.state.view).toBe(2);
    expect(d.ownVotes().map((v) => v.kind)).toEqual([VoteKind.Notarize, VoteKind.Finalize]);
    expect(d.outputs.some((o) => o.type === "broadcast" && o.message.type === "certificate")).toBe(true);
    for (const i of others.concat(fx.set.leaderOf(1)).slice(0, 2)) {
      d.feed({ type: "vote", vote: fx.vote(i, { kind: VoteKind.Finalize, view: 1, blockHash: hash }) });
    }
    const finalized = d.outputs.filter((o) => o.type === "finalized");
    expect(finalized).toHaveLength(1);
    expect(d.state.anchor.height).toBe(1);
  });

  it("a timeout nullifies the view, and a later notarization of it does not produce finalize", () => {
    const d = started(fx.follower(1));
    d.feed({ type: "timeout", view: 1, kind: "leader" });
    expect(d.ownVotes()).toMatchObject([{ kind: VoteKind.Nullify, view: 1 }]);
    expect(d.outputs.some((o) => o.type === "scheduleTimeout" && o.kind === "retry")).toBe(true);
    const block = fx.block(1, GENESIS_HASH, 1);
    const cert = fx.certificate({ kind: VoteKind.Notarize, view: 1, blockHash: blockHash(block.header) }, [0, 1, 2]);
    expect(d.feed({ type: "certificate", certificate: cert }).verdict.action).toBe("accept");
    expect(d.state.view).toBe(2);
    expect(d.ownVotes().some((v) => v.kind === VoteKind.Finalize)).toBe(false);
  });

  it("a nullification certificate moves to the next view and the next proposal may skip the nullified view", () => {
    const me = fx.follower(2);
    const d = started(me);
    const nullification = fx.certificate({ kind: VoteKind.Nullify, view: 1, blockHash: ZERO_HASH }, [0, 1, 2]);
    const block = fx.block(2, GENESIS_HASH, 1);
    d.feed(fx.proposal(2, 0, block, [nullification]));
    expect(d.state.view).toBe(2);
    d.verifyAll();
    expect(d.ownVotes()).toMatchObject([{ kind: VoteKind.Notarize, view: 2 }]);
  });

  it("a proposal whose skipped view is not nullified gets no vote until the nullification arrives", () => {
    const me = fx.follower(2);
    const d = started(me);
    d.feed({ type: "certificate", certificate: fx.certificate({ kind: VoteKind.Nullify, view: 1, blockHash: ZERO_HASH }, [0, 1, 2]) });
    // parentView 0 with view 1 nullified is fine; claiming parent at view 1 (not notarized) is not.
    const bogus = fx.block(2, new Uint8Array(32).fill(9), 2);
    d.feed(fx.proposal(2, 1, bogus));
    d.verifyAll();
    expect(d.ownVotes()).toHaveLength(0);
  });

  it("conflicting votes from one validator produce evidence and are not counted", () => {
    const d = started(fx.follower(1));
    const v = fx.follower(1) === 0 ? 1 : 0;
    d.feed({ type: "vote", vote: fx.vote(v, { kind: VoteKind.Notarize, view: 1, blockHash: new Uint8Array(32).fill(1) }) });
    const second = d.feed({ type: "vote", vote: fx.vote(v, { kind: VoteKind.Notarize, view: 1, blockHash: new Uint8Array(32).fill(2) }) });
    expect(second.verdict).toMatchObject({ action: "reject", code: "SIMPLEX_REJECT_EQUIVOCATION" });
    const evidence = d.outputs.filter((o) => o.type === "evidence");
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ evidence: { publicKey: fx.set.get(v)!.publicKey } });
    d.feed({ type: "vote", vote: fx.vote(v, { kind: VoteKind.Nullify, view: 1, blockHash: ZERO_HASH }) });
    d.feed({ type: "vote", vote: fx.vote(v, { kind: VoteKind.Finalize, view: 1, blockHash: new Uint8Array(32).fill(1) }) });
    expect(d.outputs.filter((o) => o.type === "evidence")).toHaveLength(1);
  });

  it("votes outside the window, with bad signatures or unknown validators are refused with a verdict", () => {
    const d = started(0);
    const far = fx.vote(1, { kind: VoteKind.Nullify, view: 1000, blockHash: ZERO_HASH });
    expect(d.feed({ type: "vote", vote: far }).verdict).toMatchObject({ action: "ignore", code: "SIMPLEX_IGNORE_VIEW_TOO_NEW" });
    const bad = { ...fx.vote(1, { kind: VoteKind.Nullify, view: 1, blockHash: ZERO_HASH }), signature: new Uint8Array(64) };
    expect(d.feed({ type: "vote", vote: bad }).verdict).toMatchObject({ action: "reject", code: "SIMPLEX_REJECT_BAD_SIGNATURE" });
    const unknown = { ...fx.vote(1, { kind: VoteKind.Nullify, view: 1, blockHash: ZERO_HASH }), validator: 9 };
    expect(d.feed({ type: "vote", vote: unknown }).verdict).toMatchObject({ action: "reject", code: "SIMPLEX_REJECT_UNKNOWN_VALIDATOR" });
    expect(d.state.views.has(1000)).toBe(false);
  });

  it("certificates without a quorum or with a forged signature are rejected", () => {
    const d = started(0);
    const body = { kind: VoteKind.Nullify, view: 1, blockHash: ZERO_HASH } as const;
    expect(d.feed({ type: "certificate", certificate: fx.certificate(body, [0, 1]) }).verdict).toMatchObject({ code: "SIMPLEX_REJECT_NO_QUORUM" });
    const forged = fx.certificate(body, [0, 1, 2]);
    forged.signers[1]!.signature = new Uint8Array(64).fill(3);
    expect(d.feed({ type: "certificate", certificate: forged }).verdict).toMatchObject({ code: "SIMPLEX_REJECT_BAD_SIGNATURE" });
    expect(d.state.view).toBe(1);
  });

  it("a finalization of a block this node verifies as invalid is refused and reported, and the machine goes on", () => {
    const me = fx.follower(1);
    const d = started(me);
    const block = fx.block(1, GENESIS_HASH, 1);
    const hash = blockHash(block.header);
    d.feed(fx.proposal(1, 0, block));
    const others = [0, 1, 2, 3].filter((i) => i !== me);
    d.feed({ type: "certificate", certificate: fx.certificate({ kind: VoteKind.Finalize, view: 1, blockHash: hash }, others) });
    d.feed({ type: "blockVerified", hash, valid: false });
    const faults = d.outputs.filter((o) => o.type === "finalityFault");
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ certificate: { view: 1 } });
    expect(d.outputs.some((o) => o.type === "finalized")).toBe(false);
    expect(d.state.anchor.height).toBe(0);
    expect(d.state.pendingFinalization).toBeNull();
    expect(d.ownVotes().some((v) => v.kind === VoteKind.Notarize || v.kind === VoteKind.Finalize)).toBe(false);
    // The same certificate again is a duplicate, not a second report.
    d.outputs.length = 0;
    d.feed({ type: "certificate", certificate: fx.certificate({ kind: VoteKind.Finalize, view: 1, blockHash: hash }, others) });
    expect(d.outputs.some((o) => o.type === "finalityFault")).toBe(false);
  });

  it("a proposal from a non-leader is rejected", () => {
    const d = started(0);
    const block = fx.block(1, GENESIS_HASH, 1);
    const input = fx.proposal(1, 0, block);
    if (input.type !== "proposal") throw new Error("fixture");
    const other = fx.follower(1);
    input.proposal.vote = fx.vote(other, { kind: VoteKind.Notarize, view: 1, blockHash: blockHash(block.header) });
    expect(d.feed(input).verdict).toMatchObject({ action: "reject", code: "SIMPLEX_REJECT_NOT_LEADER" });
  });

  it("after a restart from its WAL a node re-sends its vote and never notarizes a different block in that view", () => {
    const me = fx.follower(1);
    const d = started(me);
    const a = fx.block(1, GENESIS_HASH, 1, 1);
    d.feed(fx.proposal(1, 0, a));
    d.verifyAll();
    const records = d.outputs.flatMap((o) => (o.type === "persist" ? o.records : []));
    const config = simConfig(fx.byIndex[me]!.publicKey, 1000);
    const restored = restoreState(config, {
      epoch: 0,
      validators: fx.set,
      epochAnchor: { hash: GENESIS_HASH, height: 0 },
      anchor: { hash: GENESIS_HASH, height: 0, view: 0 },
      records,
      blocks: [],
    });
    const r = new Driver(fx.machine(me), restored);
    r.feed({ type: "start" });
    expect(r.broadcastVotes().map((v) => bytesEqual(v.blockHash, blockHash(a.header)))).toEqual([true]);
    const b = fx.block(1, GENESIS_HASH, 1, 2);
    r.feed(fx.proposal(1, 0, b));
    r.verifyAll();
    expect(r.ownVotes()).toHaveLength(0);
    r.feed({ type: "timeout", view: 1, kind: "notarization" });
    expect(r.ownVotes().map((v) => v.kind)).toEqual([VoteKind.Nullify]);
  });
});
