// Transaction gossip over the tx protocol: one stream per batch, one frame per raw transaction, the sender
// ends its side. Outbound: the node calls gossip(); new transactions wait in a bounded queue, are batched for
// txFlushDelayMs and go to every verified peer except the one that brought them. Inbound: de-duplicated by
// hash and handed to the node's handler once. Received transactions are never re-sent here: the node decides.
import type { Connection, Stream } from "@libp2p/interface";
import { sha256, toHex } from "../../consensus/crypto/hash.ts";
import { FrameReader, finishStream, writeFrame } from "./frame-stream.ts";
import { deadline, openStream, rejectStream, trackStream, type PlaneContext } from "./plane-context.ts";
import { TxSeenSet } from "./tx-seen-set.ts";

interface QueuedTx {
  raw: Uint8Array;
  origin: string | undefined;
}

export class TxGossip {
  private readonly seen: TxSeenSet;
  private queue: QueuedTx[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing = false;
  private droppedTotal = 0;

  constructor(private readonly ctx: PlaneContext) {
    this.seen = new TxSeenSet(ctx.limits.txSeenItemsMax);
  }

  /** Transactions dropped because the outbound queue was full, since start. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Queues new transactions for every peer; already-sent ones and oversize ones are skipped. */
  gossip(raws: readonly Uint8Array[]): void {
    if (this.ctx.stopSignal.aborted) return;
    for (const raw of raws) {
      if (raw.length === 0 || raw.length > this.ctx.limits.txBytesMax) continue;
      const mark = this.seen.markSent(toHex(sha256(raw)));
      if (mark === undefined) continue;
      if (this.queue.length >= this.ctx.limits.txQueueItemsMax) {
        if (this.droppedTotal++ === 0) this.ctx.log("warn", "p2p: gossip queue full, dropping transactions", { queueMax: this.ctx.limits.txQueueItemsMax });
        continue;
      }
      this.queue.push({ raw, origin: mark.origin });
    }
    this.scheduleFlush();
  }

  /** Inbound tx stream. Never throws. */
  async serve(stream: Stream, connection: Connection): Promise<void> {
    const peerId = connection.remotePeer.toString();
    trackStream(this.ctx, stream);
    if (!this.ctx.peers.isVerified(peerId)) return rejectStream(this.ctx, stream, peerId, "tx", "gossip before status handshake");
    const signal = deadline(this.ctx, this.ctx.limits.serveTimeoutMs);
    const reader = new FrameReader(stream);
    const fresh: Uint8Array[] = [];
    try {
      for (let n = 0; ; n++) {
        const frame = await reader.readFrame(this.ctx.limits.txBytesMax, signal);
        if (frame.kind === "end") break;
        if (frame.kind === "error") return rejectStream(this.ctx, stream, peerId, "tx", frame.detail);
        if (n === this.ctx.limits.txBatchItemsMax) return rejectStream(this.ctx, stream, peerId, "tx", "batch over txBatchItemsMax");
        if (frame.body.length === 0) return rejectStream(this.ctx, stream, peerId, "tx", "empty transaction");
        if (this.seen.markDelivered(toHex(sha256(frame.body)), peerId)) fresh.push(frame.body);
      }
      await finishStream(stream, signal);
    } catch (err) {
      this.ctx.log("debug", "p2p: tx stream failed", { peerId, error: (err as Error).message });
      stream.abort(err as Error);
    } finally {
      reader.release();
      // Deliver what was read in full even if the stream failed later: each was a complete, bounded frame.
      if (fresh.length > 0) this.deliver(fresh, peerId);
    }
  }

  stop(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.queue = [];
  }

  private deliver(raws: Uint8Array[], from: string): void {
    try {
      this.ctx.handlers.onTransactions(raws, from);
    } catch (err) {
      this.ctx.log("warn", "p2p: onTransactions handler threw", { error: (err as Error).message });
    }
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushTimer !== undefined || this.queue.length === 0) return;
    const full = this.queue.length >= this.ctx.limits.txBatchItemsMax;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, full ? 0 : this.ctx.limits.txFlushDelayMs);
  }

  /** Sends batches until the queue is empty; one batch at a time, to all peers in parallel. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0 && !this.ctx.stopSignal.aborted) {
        const batch = this.queue.splice(0, this.ctx.limits.txBatchItemsMax);
        await Promise.all(this.ctx.peers.ids().map((peerId) => this.sendBatch(peerId, batch.filter((t) => t.origin !== peerId))));
      }
    } finally {
      this.flushing = false;
      this.scheduleFlush();
    }
  }

  private async sendBatch(peerId: string, batch: QueuedTx[]): Promise<void> {
    if (batch.length === 0) return;
    const signal = deadline(this.ctx, this.ctx.limits.requestTimeoutMs);
    let stream: Stream | undefined;
    try {
      stream = await openStream(this.ctx, peerId, "tx", signal);
      for (const tx of batch) await writeFrame(stream, tx.raw, signal);
      await finishStream(stream, signal);
    } catch (err) {
      stream?.abort(err as Error);
      this.ctx.log("debug", "p2p: gossip to peer failed", { peerId, txs: batch.length, error: (err as Error).message });
    }
  }
}
