// The bounded memory of gossiped transactions, keyed by the hex sha256 of the raw bytes. It remembers whether a
// transaction was already delivered to the node (so a peer's echo is not delivered twice) and already sent to
// peers (so the node's re-gossip goes out once), and which peer first brought it (not sent back there).
// Oldest entries are forgotten first (Map insertion order); it is not a mempool and keeps no bytes.

interface SeenEntry {
  delivered: boolean;
  sent: boolean;
  origin: string | undefined;
}

export class TxSeenSet {
  private readonly entries = new Map<string, SeenEntry>();

  constructor(private readonly itemsMax: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** A transaction arrived from `from` (a peer id). True if it is new to the node and should be delivered. */
  markDelivered(hash: string, from: string): boolean {
    const entry = this.entries.get(hash);
    if (entry === undefined) {
      this.insert(hash, { delivered: true, sent: false, origin: from });
      return true;
    }
    if (entry.delivered) return false;
    entry.delivered = true;
    entry.origin ??= from;
    return true;
  }

  /**
   * The node asks to gossip a transaction. Returns undefined if it was already sent, else the peer it came
   * from (if any) so the sender can skip it. Marks it delivered too: the node knows its own transactions.
   */
  markSent(hash: string): { origin: string | undefined } | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) {
      this.insert(hash, { delivered: true, sent: true, origin: undefined });
      return { origin: undefined };
    }
    if (entry.sent) return undefined;
    entry.sent = true;
    entry.delivered = true;
    return { origin: entry.origin };
  }

  private insert(hash: string, entry: SeenEntry): void {
    if (this.entries.size >= this.itemsMax) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(hash, entry);
  }
}
