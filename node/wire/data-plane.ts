// The validator's data plane: Simplex messages over a DatagramTransport. Encodes each broadcast once
// (data-plane-codec.ts) and sends every datagram to every peer, paced over event-loop turns from two bounded
// queues: votes and certificates (urgent, sent at once) ahead of proposal shreds (bulk). Decodes received
// datagrams, reassembling shreds (reassembler.ts), and hands out whole messages. Peer bytes never throw here:
// they are dropped and counted by code. Not relaying along a tree, repair, or erasure coding.
//
// Handler exceptions are bugs and are not caught: they propagate out of the transport's batch callback and halt
// the node (STYLE: a broken invariant is never caught and continued).

import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import type { Message } from "../../consensus/simplex/types.ts";
import type { PublicKey, Signature } from "../../consensus/types.ts";
import type { Address, Datagram, DatagramTransport } from "../net/datagram-transport.ts";
import { TransportError } from "../net/transport-error.ts";
import { decodeDatagram, encodeLaneFrame, encodeMessage, type DecodeContext, type EncodeContext, type LaneFrame, type LaneFrameKind } from "./data-plane-codec.ts";
import { FrameType } from "./frame-header.ts";
import { Reassembler, type ReassemblerOptions, type ReassemblerStats } from "./reassembler.ts";
import { DropTally, WireError } from "./wire-errors.ts";

export type MessageType = Message["type"];
export type MessageHandler = (message: Message, from: Address) => void;
export type LaneFrameHandler = (frame: LaneFrame, from: Address) => void;

export interface DataPlaneOptions {
  chainId: bigint;
  /** Already open; the data plane owns it from now on and closes it in close(). */
  transport: DatagramTransport;
  peers: readonly Address[];
  /** This node's validator index, or undefined for a non-validator (which never sends anything shredded). */
  senderIndex?: number;
  /** Signs with this node's ed25519 validator key (shred roots). */
  sign?: (message: Uint8Array) => Signature;
  verify: Ed25519Verify;
  /** Key of validator `index` in the epoch of `view` (see ReassemblerOptions.leaderKey for what to refuse). */
  leaderKey: (view: number, index: number) => PublicKey | undefined;
  /** Datagrams handed to the transport per event-loop turn. */
  datagramsPerTurn?: number;
  /** Payloads waiting (each goes to every peer) in the urgent and the bulk queue. */
  urgentPayloadsMax?: number;
  bulkPayloadsMax?: number;
  reassembler?: Omit<ReassemblerOptions, "chainId" | "leaderKey" | "verify">;
}

export interface DataPlaneStats {
  messagesIn: Record<MessageType, number>;
  messagesOut: Record<MessageType, number>;
  datagramsIn: number;
  datagramsOut: number;
  shredsIn: number;
  shredsOut: number;
  /** Datagrams still queued for sending (payloads times peers). */
  datagramsQueued: number;
  /** Every received datagram or message dropped, by code (shred drops included; reassembly.drops has them alone). */
  rxDrops: Record<string, number>;
  /** Datagrams that never left, by cause: queueFull, notValidator, closed, or a TransportError code. */
  txDrops: Record<string, number>;
  reassembly: ReassemblerStats;
  /** Order-lane frames received (handed to onLane) and queued for sending (times peers on the wire). */
  laneFramesIn: number;
  laneFramesOut: number;
}

interface Job {
  payloads: Uint8Array[];
  peers: readonly Address[];
  shreds: boolean;
  next: number; // payload index
  peer: number; // peer index within payload `next`
}

const DATAGRAMS_PER_TURN_DEFAULT = 256;

export class DataPlane {
  private readonly transport: DatagramTransport;
  private peers: readonly Address[];
  private readonly encodeCtx: EncodeContext;
  private readonly decodeCtx: DecodeContext;
  private readonly reassembler: Reassembler;
  private readonly datagramsPerTurn: number;
  private readonly urgentPayloadsMax: number;
  private readonly bulkPayloadsMax: number;
  private readonly urgent: Job[] = [];
  private readonly bulk: Job[] = [];
  private urgentPayloads = 0;
  private bulkPayloads = 0;
  private handler: MessageHandler | null = null;
  private laneHandler: LaneFrameHandler | null = null;
  private laneFramesIn = 0;
  private laneFramesOut = 0;
  private turnScheduled = false;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  private readonly rxDrops = new DropTally();
  private readonly txDrops = new DropTally();
  private readonly messagesIn: Record<MessageType, number> = { vote: 0, certificate: 0, proposal: 0 };
  private readonly messagesOut: Record<MessageType, number> = { vote: 0, certificate: 0, proposal: 0 };
  private datagramsIn = 0;
  private datagramsOut = 0;
  private shredsIn = 0;
  private shredsOut = 0;

  constructor(options: DataPlaneOptions) {
    this.transport = options.transport;
    this.peers = [...options.peers];
    this.datagramsPerTurn = options.datagramsPerTurn ?? DATAGRAMS_PER_TURN_DEFAULT;
    this.urgentPayloadsMax = options.urgentPayloadsMax ?? 4096;
    this.bulkPayloadsMax = options.bulkPayloadsMax ?? 65536;
    if (this.datagramsPerTurn < 1 || this.urgentPayloadsMax < 1 || this.bulkPayloadsMax < 1) {
      throw new WireError("WIRE_ERROR_BAD_OPTIONS", "data plane limits must be at least 1");
    }
    this.encodeCtx = {
      chainId: options.chainId,
      payloadMaxBytes: this.transport.payloadMaxBytes,
      senderIndex: options.senderIndex,
      sign: options.sign,
    };
    this.reassembler = new Reassembler({
      ...options.reassembler,
      chainId: options.chainId,
      leaderKey: options.leaderKey,
      verify: options.verify,
    });
    this.decodeCtx = { chainId: options.chainId, reassembler: this.reassembler };
    this.transport.onBatch(this.receive);
  }

  setPeers(peers: readonly Address[]): void {
    this.peers = [...peers];
  }

  onMessage(handler: MessageHandler | null): void {
    this.handler = handler;
  }

  /** Receives the order lane's frames (receipt batches, relayed order bodies). */
  onLane(handler: LaneFrameHandler | null): void {
    this.laneHandler = handler;
  }

  /**
   * Sends lane frames (each one datagram) to every peer, in the urgent queue behind votes: receipt batches bound
   * the next block's cut-off. Returns false when the queue had no room (counted as queueFull).
   */
  broadcastLane(kind: LaneFrameKind, bodies: readonly Uint8Array[]): boolean {
    if (this.closed) return this.dropTx("closed", bodies.length);
    if (bodies.length === 0) return true;
    const payloads = bodies.map((b) => encodeLaneFrame(kind, b, this.encodeCtx.chainId));
    if (this.urgentPayloads + payloads.length > this.urgentPayloadsMax) return this.dropTx("queueFull", payloads.length * this.peers.length);
    this.urgent.push({ payloads, peers: this.peers, shreds: false, next: 0, peer: 0 });
    this.urgentPayloads += payloads.length;
    this.laneFramesOut += payloads.length;
    this.sendTurn(true);
    this.scheduleTurn();
    return true;
  }

  /**
   * Queues the message for every current peer; returns false when it was dropped (counted in txDrops). Votes and
   * certificates leave within this call when the turn budget allows. Throws WireError NOT_VALIDATOR for a
   * proposal from a non-validator (a bug); a large certificate a non-validator cannot shred is a counted drop.
   */
  broadcast(message: Message): boolean {
    if (this.closed) return this.dropTx("closed", 1);
    let payloads: Uint8Array[];
    try {
      payloads = encodeMessage(message, this.encodeCtx);
    } catch (err) {
      if (err instanceof WireError && err.code === "WIRE_ERROR_NOT_VALIDATOR" && message.type === "certificate") {
        return this.dropTx("notValidator", this.peers.length);
      }
      throw err;
    }
    const job: Job = { payloads, peers: this.peers, shreds: payloads.length > 1 || message.type === "proposal", next: 0, peer: 0 };
    if (message.type === "proposal") {
      if (!this.enqueueBulk(job)) return false;
    } else {
      if (this.urgentPayloads + payloads.length > this.urgentPayloadsMax) return this.dropTx("queueFull", payloads.length * job.peers.length);
      this.urgent.push(job);
      this.urgentPayloads += payloads.length;
    }
    this.messagesOut[message.type]++;
    if (message.type !== "proposal") this.sendTurn(true);
    this.scheduleTurn();
    return true;
  }

  /** A newer proposal matters more than an older one still queued: the oldest bulk jobs give way (counted). */
  private enqueueBulk(job: Job): boolean {
    if (job.payloads.length > this.bulkPayloadsMax) return this.dropTx("queueFull", job.payloads.length * job.peers.length);
    while (this.bulkPayloads + job.payloads.length > this.bulkPayloadsMax) {
      const old = this.bulk.shift()!;
      this.bulkPayloads -= old.payloads.length - old.next;
      this.txDrops.add("queueFull", remaining(old));
    }
    this.bulk.push(job);
    this.bulkPayloads += job.payloads.length;
    return true;
  }

  private dropTx(cause: string, n: number): false {
    this.txDrops.add(cause, n);
    return false;
  }

  private scheduleTurn(): void {
    if (this.turnScheduled || this.closed || this.queued() === 0) return;
    this.turnScheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.turnScheduled = false;
    if (this.closed) return;
    this.sendTurn(false);
    this.scheduleTurn();
    if (this.queued() === 0) this.wakeDrainWaiters();
  };

  /** Sends up to one turn's budget: urgent jobs first, then (unless urgentOnly) bulk. */
  private sendTurn(urgentOnly: boolean): void {
    const batch: Datagram[] = [];
    let shreds = 0;
    const take = (queue: Job[], isUrgent: boolean): void => {
      while (queue.length > 0 && batch.length < this.datagramsPerTurn) {
        const job = queue[0]!;
        const before = job.next;
        shreds += fill(job, batch, this.datagramsPerTurn);
        if (isUrgent) this.urgentPayloads -= job.next - before;
        else this.bulkPayloads -= job.next - before;
        if (job.next >= job.payloads.length) queue.shift();
      }
    };
    take(this.urgent, true);
    if (!urgentOnly) take(this.bulk, false);
    if (batch.length === 0) return;
    try {
      this.transport.send(batch);
      this.datagramsOut += batch.length;
      this.shredsOut += shreds;
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      this.txDrops.add(err.code, batch.length);
    }
  }

  private queued(): number {
    return this.urgent.length + this.bulk.length;
  }

  /** Resolves once both send queues are empty (all datagrams handed to the transport) or the plane closed. */
  drained(): Promise<void> {
    if (this.queued() === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private readonly receive = (batch: readonly Datagram[]): void => {
    for (const d of batch) {
      this.datagramsIn++;
      const out = decodeDatagram(d.payload, this.decodeCtx);
      if (out.frameType === FrameType.shred) this.shredsIn++;
      if (out.verdict.action !== "accept") {
        this.rxDrops.add(out.verdict.code);
        continue;
      }
      if (out.lane) {
        this.laneFramesIn++;
        if (this.laneHandler) this.laneHandler(out.lane, d.peer);
        else this.rxDrops.add("noHandler");
        continue;
      }
      if (!out.message) continue;
      this.messagesIn[out.message.type]++;
      if (!this.handler) {
        this.rxDrops.add("noHandler");
        continue;
      }
      this.handler(out.message, d.peer);
    }
  };

  stats(): DataPlaneStats {
    let datagramsQueued = 0;
    for (const job of [...this.urgent, ...this.bulk]) datagramsQueued += remaining(job);
    return {
      messagesIn: { ...this.messagesIn },
      messagesOut: { ...this.messagesOut },
      datagramsIn: this.datagramsIn,
      datagramsOut: this.datagramsOut,
      shredsIn: this.shredsIn,
      shredsOut: this.shredsOut,
      datagramsQueued,
      rxDrops: this.rxDrops.snapshot(),
      txDrops: this.txDrops.snapshot(),
      reassembly: this.reassembler.stats(),
      laneFramesIn: this.laneFramesIn,
      laneFramesOut: this.laneFramesOut,
    };
  }

  /** Drops what is still queued (counted as closed), stops receiving and closes the transport. Idempotent. */
  async close(signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of [...this.urgent, ...this.bulk]) this.txDrops.add("closed", remaining(job));
    this.urgent.length = 0;
    this.bulk.length = 0;
    this.urgentPayloads = 0;
    this.bulkPayloads = 0;
    this.wakeDrainWaiters();
    this.transport.onBatch(null);
    await this.transport.close(signal);
  }
}

/** Datagrams of `job` not yet handed to the transport. */
function remaining(job: Job): number {
  return (job.payloads.length - job.next) * job.peers.length - job.peer;
}

/** Appends datagrams of `job` (each payload to every peer in turn) until the batch holds `max`; returns how many. */
function fill(job: Job, batch: Datagram[], max: number): number {
  let added = 0;
  if (job.peers.length === 0) {
    job.next = job.payloads.length;
    return 0;
  }
  while (job.next < job.payloads.length && batch.length < max) {
    batch.push({ peer: job.peers[job.peer]!, payload: job.payloads[job.next]! });
    added++;
    if (++job.peer === job.peers.length) {
      job.peer = 0;
      job.next++;
    }
  }
  return job.shreds ? added : 0;
}
