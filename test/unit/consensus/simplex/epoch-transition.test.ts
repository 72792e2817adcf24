// Epoch transitions: the epoch's last block is never extended inside the epoch (leaders re-propose it until it
// finalizes), its finalization ends the epoch, and the next epoch starts at its own base view with the set the
// application gives.

import { describe, expect, it } from "vitest";
import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { EPOCH_VIEW_SPAN } from "../../../../consensus/simplex/index.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import { Driver, Fixture, GENESIS_HASH } from "./simplex-fixture.ts";

const fx = new Fixture(4, "fake", 1); // one block per epoch: height 1 ends epoch 0

describe("simplex epochs", () => {
  it("the next leader re-proposes the boundary block, its finalization ends the epoch, the next epoch starts", () => {
    const me = fx.set.leaderOf(2);
    const d = new Driver(fx.machine(me), fx.state(me));
    d.feed({ type: "start" });
    const boundary = fx.block(1, GENESIS_HASH, 1);
    const hash = blockHash(boundary.header);
    d.feed({ type: "certificate", certificate: fx.certificate({ kind: VoteKind.Notarize, view: 1, blockHash: hash }, [0, 1, 2, 3].filter((i) => i !== me)) });
    expect(d.state.view).toBe(2);
    const fetch = d.outputs.find((o) => o.type === "fetchBlock");
    expect(fetch).toBeDefined();
    d.feed({ type: "blockFetched", block: boundary });
    d.verifyAll();
    const proposal = d.outputs.find((o) => o.type === "broadcast" && o.message.type === "proposal");
    expect(d.outputs.some((o) => o.type === "buildBlock" && o.view === 2)).toBe(false);
    expect(proposal).toMatchObject({ message: { proposal: { view: 2, parentView: 1, block: { header: { view: 1, height: 1 } } } } });
    const others = [0, 1, 2, 3].filter((i) => i !== me).slice(0, 2);
    for (const i of others) d.feed({ type: "vote", vote: fx.vote(i, { kind: VoteKind.Notarize, view: 2, blockHash: hash }) });
    for (const i of others) d.feed({ type: "vote", vote: fx.vote(i, { kind: VoteKind.Finalize, view: 2, blockHash: hash }) });
    const ended = d.outputs.find((o) => o.type === "epochEnded");
    expect(d.outputs.filter((o) => o.type === "finalized")).toHaveLength(1);
    expect(ended).toMatchObject({ epoch: 0, boundary: { header: { height: 1 } } });
    expect(d.feed({ type: "vote", vote: fx.vote(others[0]!, { kind: VoteKind.Nullify, view: 3, blockHash: new Uint8Array(32) }) }).verdict).toMatchObject({ action: "ignore", code: "SIMPLEX_IGNORE_NOT_STARTED" });
    d.feed({ type: "epochStarted", epoch: 1, validators: fx.set });
    expect(d.state.epoch).toBe(1);
    expect(d.state.view).toBe(EPOCH_VIEW_SPAN + 1);
    expect(d.state.epochAnchorNotarization).toMatchObject({ kind: VoteKind.Notarize, blockHash: hash });
  });

  it("a replica refuses a block that extends the epoch's last block inside the epoch", () => {
    const me = [0, 1, 2, 3].find((i) => i !== fx.set.leaderOf(2))!;
    const d = new Driver(fx.machine(me), fx.state(me));
    d.feed({ type: "start" });
    const boundary = fx.block(1, GENESIS_HASH, 1);
    const notarization = fx.certificate({ kind: VoteKind.Notarize, view: 1, blockHash: blockHash(boundary.header) }, [0, 1, 2]);
    const child = fx.block(2, blockHash(boundary.header), 2);
    expect(d.feed(fx.proposal(2, 1, child, [notarization])).verdict).toMatchObject({ action: "reject", code: "SIMPLEX_REJECT_MALFORMED" });
    d.verifyAll();
    expect(d.ownVotes().filter((v) => v.kind === VoteKind.Notarize)).toHaveLength(0);
  });
});
