// Drives the pure Simplex machine with real effects: performs its outputs in order (persist = sign guard + WAL
// fsync before any later send), real timers, block building paced to the configured block interval, block
// verification, block fetches over the control plane, and commits. Inputs raised while outputs are performed are
// queued, never re-entrant. Not the storage or the network: those are injected (DriverEffects).

import { blockHash, decodeBlock } from "../../consensus/codec/block-codec.ts";
import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import type { BlockExecution } from "../../consensus/execution/execute-block.ts";
import { SimplexMachine, type Input, type Message, type Output, type SimplexConfig, type SimplexDeps, type SimplexState, type WalRecord } from "../../consensus/simplex/index.ts";
import type { Block, Certificate, Evidence, Hash, Vote } from "../../consensus/types.ts";
import { VoteKind } from "../../consensus/types.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";
import type { SignGuard } from "../store/sign-guard.ts";
import type { WriteAheadLog } from "../store/write-ahead-log.ts";
import type { ChainApp } from "./chain-app.ts";
import type { NodeLog } from "./node-log.ts";

export type DriverLog = Pick<NodeLog, "debug" | "info" | "warn" | "error">;

/** What the driver needs from the rest of the node. */
export interface DriverEffects {
  broadcast(message: Message): void;
  /** Asks peers for a block by hash; resolves with its bytes, or undefined when nobody had it. */
  fetchBlock(hash: Hash, signal: AbortSignal): Promise<Uint8Array | undefined>;
  saveBlock(block: Block): void;
  /** A finalized block was committed in memory; persist it (queued) and tell listeners. */
  finalized(block: Block, hash: Hash, certificate: Certificate, execution: BlockExecution): void;
  /** The epoch ended: persist what restoreState needs (the notarization of the new epoch's anchor). */
  epochEnded(epoch: number, notarization: Certificate | null): void;
  evidence(evidence: Evidence): void;
  /** Candidate evidence for the next block this node proposes. */
  evidencePool(): readonly Evidence[];
  /** Metrics hooks. */
  observe?: {
    viewEntered?(view: number): void;
    voteSent?(kind: VoteKind): void;
    proposed?(): void;
    nullified?(): void;
    finalityFault?(): void;
  };
}

export interface DriverOptions {
  config: SimplexConfig;
  deps: SimplexDeps;
  state: SimplexState;
  app: ChainApp;
  wal: WriteAheadLog;
  guard: SignGuard;
  effects: DriverEffects;
  log: DriverLog;
  /** The leader waits until the parent is this old before building (bounds the block rate on a quiet chain). */
  blockIntervalMs: number;
  fetchRetryMs?: number;
  now?: () => number;
}

const FETCH_ATTEMPTS_MAX = 20;
const PRUNE_EVERY_FINALIZED = 64;
const SLOW_PERSIST_MS = 50;

export class ConsensusDriver {
  private state: SimplexState;
  private readonly machine: SimplexMachine;
  private readonly pending: Input[] = [];
  private running = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly fetches = new Map<string, AbortController>();
  /** Own votes the sign guard refused: never sent (and logged as an error: the machine should never ask). */
  private readonly refused = new Set<string>();
  private readonly now: () => number;
  private finalizations = 0;

  constructor(private readonly o: DriverOptions) {
    this.machine = new SimplexMachine(o.config, o.deps);
    this.state = o.state;
    this.now = o.now ?? Date.now;
  }

  get view(): number {
    return this.state.view;
  }

  get epoch(): number {
    return this.state.epoch;
  }

  get validators(): ValidatorSet | null {
    return this.state.validators;
  }

  get selfIndex(): number | undefined {
    return this.state.selfIndex;
  }

  /** A block the machine holds (proposed or notarized, not yet finalized), for peers that ask by hash. */
  heldBlock(hash: Hash): Block | undefined {
    return this.state.blocks.get(toHex(hash))?.block;
  }

  start(): void {
    this.input({ type: "start" });
  }

  /** A peer's message is an input as it is (Message is the peer-fed subset of Input). */
  receive(message: Message): void {
    this.input(message);
  }

  /** Cancels timers and fetches; later callbacks are ignored. The WAL and guard stay open (the node owns them). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.fetches.values()) c.abort();
    this.fetches.clear();
    this.pending.length = 0;
  }

  input(input: Input): void {
    if (this.stopped) return;
    this.pending.push(input);
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0 && !this.stopped) {
        const next = this.pending.shift()!;
        const result = this.machine.apply(this.state, next);
        this.state = result.state;
        if (result.verdict.action === "reject") this.o.log.debug("consensus: input rejected", { type: next.type, code: result.verdict.code });
        for (const output of result.outputs) this.perform(output);
      }
    } finally {
      this.running = false;
    }
  }

  private later(afterMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, Math.max(0, afterMs));
    this.timers.add(timer);
  }

  private perform(output: Output): void {
    switch (output.type) {
      case "persist":
        return this.persist(output.records, output.blocks);
      case "broadcast":
        return this.broadcast(output.message);
      case "scheduleTimeout":
        if (output.kind === "leader") this.o.effects.observe?.viewEntered?.(output.view);
        return this.later(output.afterMs, () => {
          if (output.view === this.state.view) this.o.log.debug("consensus: timeout", { view: output.view, kind: output.kind });
          this.input({ type: "timeout", view: output.view, kind: output.kind });
        });
      case "buildBlock":
        return this.build(output);
      case "verifyBlock":
        return this.verify(output.block);
      case "fetchBlock":
        return this.fetch(output.hash, 0);
      case "finalized": {
        const hash = blockHash(output.block.header);
        const execution = this.o.app.commit(output.block, hash);
        this.o.effects.finalized(output.block, hash, output.certificate, execution);
        this.pruneDurable(output.block.header.view);
        return;
      }
      case "epochEnded": {
        this.o.effects.epochEnded(output.epoch, output.notarization);
        const validators = this.o.app.validatorSet();
        this.o.log.info("consensus: epoch ended", { epoch: output.epoch, nextValidators: validators.size });
        this.pending.push({ type: "epochStarted", epoch: output.epoch + 1, validators });
        return;
      }
      case "evidence":
        this.o.log.warn("consensus: equivocation evidence", { validator: toHex(output.evidence.publicKey), view: output.evidence.first.view });
        return this.o.effects.evidence(output.evidence);
      case "finalityFault":
        this.o.effects.observe?.finalityFault?.();
        this.o.log.error(
          "consensus: a quorum finalized a block this node rejects; it will not follow (more than a third of stake is faulty, or this node executes differently)",
          { view: output.certificate.view, block: toHex(output.certificate.blockHash), detail: output.detail },
        );
        return;
    }
  }

  /** The barrier: sign guard (fdatasync) for own votes, then the WAL (own votes fdatasynced), then blocks. */
  private persist(records: WalRecord[], blocks: Block[]): void {
    const started = performance.now();
    for (const record of records) {
      if (record.type === "ownVote") {
        const verdict = this.o.guard.authorize(record.vote);
        if (!verdict.ok) {
          this.refused.add(voteKey(record.vote));
          this.o.log.error("sign guard refused an own vote; it will not be sent", { view: record.vote.view, kind: record.vote.kind, code: verdict.code });
          continue;
        }
      }
      this.o.wal.append(record);
    }
    for (const block of blocks) this.o.effects.saveBlock(block);
    const ms = performance.now() - started;
    // fdatasync runs on this thread: a slow disk stalls votes, and this is how an operator sees it.
    if (ms > SLOW_PERSIST_MS) this.o.log.warn("consensus: slow persist (fdatasync of the sign guard and WAL)", { ms: Math.round(ms), records: records.length });
  }

  private broadcast(message: Message): void {
    const own: Vote | null = message.type === "proposal" ? message.proposal.vote : message.type === "vote" ? message.vote : null;
    if (own && own.validator === this.state.selfIndex) {
      if (this.refused.has(voteKey(own))) return;
      if (message.type === "proposal") this.o.effects.observe?.proposed?.();
      this.o.effects.observe?.voteSent?.(own.kind);
      if (own.kind === VoteKind.Nullify) this.o.effects.observe?.nullified?.();
    }
    this.o.effects.broadcast(message);
  }

  private build(o: Extract<Output, { type: "buildBlock" }>): void {
    const parentTs = this.o.app.timestampOf(o.parentHash) ?? 0;
    const wait = Math.min(this.o.blockIntervalMs, Math.max(0, parentTs + this.o.blockIntervalMs - this.now()));
    this.later(wait, () => {
      const built = this.o.app.build({
        parentHash: o.parentHash,
        height: o.height,
        view: o.view,
        timestampMs: this.now(),
        proposer: this.o.config.publicKey,
        parentNotarization: o.parentNotarization,
        evidence: this.o.effects.evidencePool(),
      });
      if (!built) this.o.log.warn("consensus: could not build a block", { view: o.view, height: o.height });
      else this.o.log.debug("consensus: built", { view: o.view, height: o.height, txs: built.block.transactions.length });
      this.input({ type: "blockBuilt", view: o.view, block: built?.block ?? null });
    });
  }

  private verify(block: Block): void {
    this.later(0, () => {
      const hash = blockHash(block.header);
      const result = this.o.app.verify(block, hash, this.now());
      if (!result.ok) this.o.log.warn("consensus: block refused", { height: block.header.height, view: block.header.view, code: result.code, detail: result.detail });
      else this.o.log.debug("consensus: verified", { height: block.header.height, view: block.header.view, txs: block.transactions.length });
      this.input({ type: "blockVerified", hash, valid: result.ok });
    });
  }

  private fetch(hash: Hash, attempt: number): void {
    const key = toHex(hash);
    if (attempt === 0 && this.fetches.has(key)) return;
    const controller = new AbortController();
    this.fetches.set(key, controller);
    const retry = () => {
      if (attempt + 1 >= FETCH_ATTEMPTS_MAX) {
        this.fetches.delete(key);
        this.o.log.warn("consensus: block fetch gave up", { hash: key });
        return;
      }
      this.later(this.o.fetchRetryMs ?? 250, () => this.fetch(hash, attempt + 1));
    };
    const timeout = AbortSignal.timeout(2_000);
    this.o.effects.fetchBlock(hash, AbortSignal.any([controller.signal, timeout])).then(
      (bytes) => {
        if (this.stopped || controller.signal.aborted) return;
        const decoded = bytes ? decodeBlock(bytes) : undefined;
        if (decoded?.ok && bytesEqual(blockHash(decoded.value.header), hash)) {
          this.fetches.delete(key);
          this.input({ type: "blockFetched", block: decoded.value });
        } else retry();
      },
      () => {
        if (!this.stopped && !controller.signal.aborted) retry();
      },
    );
  }

  /** Finalized views are never voted on again: cut the WAL below them and let the guard forget them. */
  private pruneDurable(finalizedView: number): void {
    const keep = finalizedView - this.o.config.viewWindow;
    if (++this.finalizations % PRUNE_EVERY_FINALIZED !== 0 || keep <= 0) return;
    this.o.wal.truncateBefore(keep);
    this.o.guard.pruneBelow(keep);
  }
}

function voteKey(v: { view: number; kind: number; blockHash: Hash }): string {
  return `${v.view}:${v.kind}:${toHex(v.blockHash)}`;
}
