// The checkers must be able to fail: direct feeds of each kind of violation, a node with no durable WAL or sign
// guard (caught double-signing after a restart), and a quorum weakened to 1/3 under partition (caught forking).

import { describe, expect, it } from "vitest";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { VoteKind, type Block, type Vote } from "../../consensus/types.ts";
import { Checkers } from "./checkers.ts";
import { replayCommand, runSeed, type SimOptions } from "./simulation.ts";

function vote(kind: VoteKind, view: number, fill: number): Vote {
  return { kind, view, blockHash: kind === VoteKind.Nullify ? ZERO_HASH : new Uint8Array(32).fill(fill), validator: 0, signature: new Uint8Array(64) };
}

function block(height: number): Block {
  return { header: { height } } as unknown as Block;
}

describe("checkers", () => {
  it("catch a fork, a double vote, nullify with finalize, a stall and a missing slash", () => {
    const c = new Checkers(new Set([0, 1]));
    c.onFinalized(0, block(1), new Uint8Array(32).fill(1), 10);
    c.onFinalized(1, block(1), new Uint8Array(32).fill(2), 11);
    c.onSigned(0, vote(VoteKind.Notarize, 5, 1), 12);
    c.onSigned(0, vote(VoteKind.Notarize, 5, 2), 13);
    c.onSigned(1, vote(VoteKind.Finalize, 6, 1), 14);
    c.onSigned(1, vote(VoteKind.Nullify, 6, 0), 15);
    c.checkProgress(16, new Map([[0, 3]]), new Map([[0, 3]]), 1000);
    c.onEvidence(0, { publicKey: new Uint8Array(32).fill(7), first: vote(VoteKind.Notarize, 1, 1), second: vote(VoteKind.Notarize, 1, 2) }, 17);
    c.checkEvidenceSlashed(18, 100, () => false);
    expect(c.violations.map((v) => v.checker)).toEqual(["agreement", "double-sign", "double-sign", "progress", "evidence-slash", "evidence-slash"]);
  });

  it("ignore Byzantine nodes and accept a repeat of the same vote", () => {
    const c = new Checkers(new Set([0]));
    c.onSigned(0, vote(VoteKind.Notarize, 5, 1), 1);
    c.onSigned(0, vote(VoteKind.Notarize, 5, 1), 2);
    c.onSigned(3, vote(VoteKind.Notarize, 5, 1), 3);
    c.onSigned(3, vote(VoteKind.Notarize, 5, 2), 4);
    expect(c.violations).toEqual([]);
  });

  it("catch a node that restarts without its WAL and sign guard, and print how to replay it", () => {
    const caught: string[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const options: SimOptions = { seed, nodes: 4, byzantine: 0, faults: ["crash"], brokenNodes: [0], faultPhaseMs: 6000, quietPhaseMs: 4000 };
      const result = runSeed(options);
      if (result.violations.some((v) => v.checker === "double-sign")) caught.push(replayCommand(options));
    }
    expect(caught.length).toBeGreaterThan(0);
    expect(caught[0]).toMatch(/^npm run sim -- --seeds 1 --seed-base \d+ --nodes 4 --byzantine 0 --faults crash --fault-ms 6000 --quiet-ms 4000$/);
  });

  it("catch disagreement when quorums are weakened to one third and the network partitions", () => {
    let forks = 0;
    for (let seed = 1; seed <= 6 && forks === 0; seed++) {
      const result = runSeed({ seed, nodes: 4, byzantine: 0, faults: ["partition"], weakQuorum: true, faultPhaseMs: 8000, quietPhaseMs: 2000, epochLengthBlocks: 10_000 });
      forks += result.violations.filter((v) => v.checker === "agreement").length;
    }
    expect(forks).toBeGreaterThan(0);
  });
});
