// One simulated validator: the Simplex machine, its application, its disk, and the driver that performs the
// machine's outputs in order (persist, including the sign guard, before any later send; timers on the simulated
// clock; build/verify/fetch answered asynchronously). Crash drops everything but the disk; restart rebuilds from it.

import { headerHash } from "./header-hash.ts";
import { toHex } from "../../consensus/crypto/hash.ts";
import { InvariantError } from "../../consensus/errors.ts";
import {
  SimplexMachine,
  initialState,
  restoreState,
  type Input,
  type Message,
  type Output,
  type SimplexConfig,
  type SimplexState,
  type WalRecord,
} from "../../consensus/simplex/index.ts";
import type { Block, Evidence, Hash, Vote } from "../../consensus/types.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";
import type { SimApplication } from "./sim-app.ts";
import type { SimDisk } from "./sim-disk.ts";
import type { SimKey } from "./sim-crypto.ts";
import type { EventQueue } from "./event-queue.ts";

/**
 * honest; byzantine (see byzantine.ts); broken: persists nothing durable (its disk is wiped at every restart, so
 * no WAL and no sign guard survive): an honest machine on a broken node, to prove the checkers fire.
 */
export type NodeMode = "honest" | "byzantine" | "broken";

export interface NodeEnv {
  queue: EventQueue;
  genesisTimeMs: number;
  buildDelayMs: number;
  verifyDelayMs: number;
  fetchRetryMs: number;
  send(from: number, message: Message): void;
  findBlock(requester: number, hash: Hash): Block | undefined;
  /** Asked before each send: true crashes the node right there (the caller has scheduled its restart). */
  crashPoint?: (node: number) => boolean;
  /** Checker hooks. */
  onSigned(node: number, vote: Vote): void;
  onFinalized(node: number, block: Block, hash: Hash): void;
  onEvidence(node: number, evidence: Evidence): void;
}

export class SimNode<S> {
  up = true;
  incarnation = 0;
  state: SimplexState;
  app: SimApplication<S>;
  private readonly machine: SimplexMachine;
  private readonly pending: Input[] = [];
  private running = false;
  inputs = 0;
  /** Views this node entered (one leader timer each), across restarts. */
  viewsEntered = 0;

  constructor(
    readonly index: number,
    readonly key: SimKey,
    readonly mode: NodeMode,
    readonly disk: SimDisk<S>,
    config: SimplexConfig,
    verify: (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => boolean,
    private readonly env: NodeEnv,
    private readonly makeApp: (disk: SimDisk<S>) => SimApplication<S>,
    genesisSet: ValidatorSet,
  ) {
    this.machine = new SimplexMachine(config, { verify, sign: key.sign });
    this.app = makeApp(disk);
    disk.epochSets.set(0, { set: genesisSet, anchor: { hash: disk.committed.hash, height: 0 } });
    this.state = initialState(config, 0, genesisSet, { hash: disk.committed.hash, height: 0 });
  }

  /** Feed one input; inputs raised while performing outputs are queued, never re-entrant. */
  input(input: Input): void {
    if (!this.up) return;
    this.pending.push(input);
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const next = this.pending.shift()!;
        this.inputs++;
        const result = this.machine.apply(this.state, next);
        this.state = result.state;
        for (const output of result.outputs) {
          // A crash between two outputs: what was persisted stays, what was not yet sent is lost.
          if (output.type === "broadcast" && this.env.crashPoint?.(this.index)) {
            this.crash();
            return;
          }
          this.perform(output);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** A peer's message is an input as it is (Message is the peer-fed subset of Input). */
  receive(message: Message): void {
    this.input(message);
  }

  crash(): void {
    this.up = false;
    this.incarnation++;
    this.pending.length = 0;
  }

  restart(config: SimplexConfig): void {
    const disk = this.disk;
    if (this.mode === "broken") disk.wipe();
    const epoch = disk.epochSets.get(disk.epoch)!;
    this.app = this.makeApp(disk);
    this.state = restoreState(config, {
      epoch: disk.epoch,
      validators: epoch.set,
      epochAnchor: epoch.anchor,
      anchor: { hash: disk.committed.hash, height: disk.committed.height, view: disk.committed.view },
      records: disk.records,
      blocks: [...disk.blocks.values()],
      boundaryCertificates: disk.boundaryCertificates,
      epochAnchorNotarization: disk.epochAnchorNotarization,
    });
    this.up = true;
    this.input({ type: "start" });
  }

  /** Schedule `run` on the simulated clock unless this incarnation ends first. */
  private later(afterMs: number, run: () => void): void {
    const incarnation = this.incarnation;
    this.env.queue.schedule(afterMs, () => {
      if (this.up && this.incarnation === incarnation) run();
    });
  }

  private perform(output: Output): void {
    switch (output.type) {
      case "persist":
        return this.persist(output.records, output.blocks);
      case "broadcast":
        return this.broadcast(output.message);
      case "scheduleTimeout":
        if (output.kind === "leader") this.viewsEntered++;
        return this.later(output.afterMs, () => this.input({ type: "timeout", view: output.view, kind: output.kind }));
      case "buildBlock":
        return this.later(this.env.buildDelayMs, () => {
          const block = this.app.build({
            parentHash: output.parentHash,
            height: output.height,
            view: output.view,
            proposer: this.key.publicKey,
            timestampMs: this.env.genesisTimeMs + this.env.queue.nowMs,
            evidence: this.disk.evidencePool,
            parentNotarization: output.parentNotarization,
          });
          this.input({ type: "blockBuilt", view: output.view, block });
        });
      case "verifyBlock":
        return this.later(this.env.verifyDelayMs, () => {
          const hash = headerHash(output.block.header);
          this.input({ type: "blockVerified", hash, valid: this.app.verify(output.block, hash) });
        });
      case "fetchBlock":
        return this.fetch(output.hash);
      case "finalized":
        return this.finalized(output.block);
      case "epochEnded": {
        const set = this.app.validatorSetFor(output.epoch + 1);
        const anchor = { hash: this.disk.committed.hash, height: this.disk.committed.height };
        this.disk.epochSets.set(output.epoch + 1, { set, anchor });
        this.disk.epoch = output.epoch + 1;
        this.disk.boundaryCertificates.push(output.certificate);
        this.disk.epochAnchorNotarization = output.notarization;
        this.pending.push({ type: "epochStarted", epoch: output.epoch + 1, validators: set });
        return;
      }
      case "finalityFault":
        // The simulation keeps Byzantine stake under a third, so a quorum can never finalize an invalid block.
        throw new InvariantError(`node ${this.index}: finality fault at view ${output.certificate.view}: ${output.detail}`);
      case "evidence":
        this.env.onEvidence(this.index, output.evidence);
        if (!this.disk.evidencePool.some((e) => toHex(e.publicKey) === toHex(output.evidence.publicKey))) {
          this.disk.evidencePool.push(output.evidence);
        }
        return;
    }
  }

  private persist(records: WalRecord[], blocks: Block[]): void {
    for (const record of records) {
      if (record.type === "ownVote") {
        const refusal = this.disk.guard.authorize(record.vote);
        if (refusal) throw new InvariantError(`node ${this.index}: sign guard refused view ${record.vote.view}: ${refusal}`);
      }
      this.disk.records.push(record);
    }
    for (const block of blocks) this.disk.storeBlock(headerHash(block.header), block);
  }

  private broadcast(message: Message): void {
    const own = message.type === "proposal" ? message.proposal.vote : message.type === "vote" ? message.vote : null;
    if (own && own.validator === this.state.selfIndex) {
      if (this.mode === "honest" && !this.disk.guard.has(own)) {
        throw new InvariantError(`node ${this.index}: vote for view ${own.view} sent before it was persisted`);
      }
      this.env.onSigned(this.index, own);
    }
    this.env.send(this.index, message);
  }

  private fetch(hash: Hash): void {
    const attempt = () => {
      const block = this.env.findBlock(this.index, hash);
      if (block) this.input({ type: "blockFetched", block });
      else this.later(this.env.fetchRetryMs, attempt);
    };
    this.later(this.env.fetchRetryMs / 4, attempt);
  }

  private finalized(block: Block): void {
    const hash = headerHash(block.header);
    this.app.commit(block, hash);
    const state = this.app.committedSnapshot();
    this.disk.committed = { hash, height: block.header.height, view: block.header.view, state };
    this.disk.finalizedByHash.set(toHex(hash), block);
    this.disk.evidencePool = this.disk.evidencePool.filter((e) => !this.app.evidenceIncluded(e));
    this.env.onFinalized(this.index, block, hash);
  }
}
