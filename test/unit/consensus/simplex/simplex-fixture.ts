// Test fixture for the Simplex machine: a validator set of simulator keys (fake or real ed25519), signed votes,
// certificates and blocks, and a driver that feeds inputs and collects outputs. Test-only.

import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../../../consensus/codec/vote-codec.ts";
import { ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { SimplexMachine, initialState, type Input, type Output, type SimplexState } from "../../../../consensus/simplex/index.ts";
import type { Block, Certificate, Hash, Vote, VoteBody } from "../../../../consensus/types.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import { ValidatorSet } from "../../../../consensus/validator-set.ts";
import { simKey, simVerify, type CryptoMode, type SimKey } from "../../../sim/sim-crypto.ts";
import { SIM_CHAIN_ID, simConfig } from "../../../sim/simulation.ts";

export const GENESIS_HASH = new Uint8Array(32).fill(0x6e);

export class Fixture {
  readonly keys: SimKey[];
  readonly set: ValidatorSet;
  /** keys[i] sits at set index indexOfKey[i]. */
  readonly byIndex: SimKey[];

  constructor(
    readonly n = 4,
    readonly crypto: CryptoMode = "fake",
    readonly epochLengthBlocks = 1000,
  ) {
    this.keys = Array.from({ length: n }, (_, i) => simKey(crypto, 99, i));
    this.set = new ValidatorSet(
      this.keys.map((k, i) => ({ publicKey: k.publicKey, operator: new Uint8Array(20).fill(i), stake: 10n })),
      GENESIS_HASH,
    );
    this.byIndex = this.set.validators.map((v) => this.keys.find((k) => k.publicKey === v.publicKey)!);
  }

  machine(index: number): SimplexMachine {
    const key = this.byIndex[index]!;
    return new SimplexMachine(simConfig(key.publicKey, this.epochLengthBlocks), { verify: simVerify(this.crypto), sign: key.sign });
  }

  state(index: number): SimplexState {
    return initialState(simConfig(this.byIndex[index]!.publicKey, this.epochLengthBlocks), 0, this.set, { hash: GENESIS_HASH, height: 0 });
  }

  vote(index: number, body: VoteBody): Vote {
    return { ...body, validator: index, signature: this.byIndex[index]!.sign(voteSigningBytes(SIM_CHAIN_ID, body)) };
  }

  certificate(body: VoteBody, signers: number[]): Certificate {
    return { ...body, signers: [...signers].sort((a, b) => a - b).map((i) => ({ validator: i, signature: this.vote(i, body).signature })) };
  }

  block(view: number, parentHash: Hash, height: number, salt = 0): Block {
    const leader = this.set.leaderOf(view);
    return {
      header: {
        chainId: SIM_CHAIN_ID,
        height,
        view,
        parentHash,
        timestampMs: 1_700_000_000_000 + view * 10 + salt,
        proposer: this.set.get(leader)!.publicKey,
        stateRoot: new Uint8Array(32).fill(salt),
        transactionsRoot: ZERO_HASH,
        evidenceRoot: ZERO_HASH,
        laneRoot: ZERO_HASH,
      },
      transactions: [],
      evidence: [],
      parentNotarization: null,
    };
  }

  /** A leader proposal for `view` on the parent notarized at parentView. */
  proposal(view: number, parentView: number, block: Block, certificates: Certificate[] = []): Input {
    const leader = this.set.leaderOf(view);
    const vote = this.vote(leader, { kind: VoteKind.Notarize, view, blockHash: blockHash(block.header) });
    return { type: "proposal", proposal: { view, parentView, block, vote, certificates } };
  }

  /** A validator index that does not lead `view`. */
  follower(view: number): number {
    return (this.set.leaderOf(view) + 1) % this.n;
  }
}

/** Feeds inputs to one machine and keeps every output. */
export class Driver {
  outputs: Output[] = [];
  constructor(
    readonly machine: SimplexMachine,
    public state: SimplexState,
  ) {}

  feed(input: Input) {
    const result = this.machine.apply(this.state, input);
    this.state = result.state;
    this.outputs.push(...result.outputs);
    return result;
  }

  /** Answer every verifyBlock request so far as valid. */
  verifyAll(): void {
    for (; this.answered < this.outputs.length; this.answered++) {
      const o = this.outputs[this.answered]!;
      if (o.type === "verifyBlock") this.feed({ type: "blockVerified", hash: blockHash(o.block.header), valid: true });
    }
  }

  private answered = 0;

  ownVotes(): Vote[] {
    return this.outputs.flatMap((o) => (o.type === "persist" ? o.records.flatMap((r) => (r.type === "ownVote" ? [r.vote] : [])) : []));
  }

  broadcastVotes(): Vote[] {
    return this.outputs.flatMap((o) => (o.type === "broadcast" && o.message.type === "vote" ? [o.message.vote] : []));
  }
}
