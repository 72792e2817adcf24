// Which connected peers passed the status handshake, at which address, and what they last said about their
// finalized chain. Fed by libp2p connection events and status exchanges; bounded by the connection limit
// (a peer is only ever added while connected, and removed when its last connection closes).
// Also which peers were found on another chain and are refused for a while (bounded, oldest forgotten first).

const REFUSED_PEERS_MAX = 1024;

export interface PeerRecord {
  peerId: string;
  address: string;
  finalizedHeight?: number;
  finalizedHash?: Uint8Array;
}

export class PeerBook {
  private readonly verified = new Map<string, PeerRecord>();
  private readonly refused = new Map<string, number>(); // peer id -> refused until (ms since epoch)

  constructor(private readonly peersMax: number) {}

  isVerified(peerId: string): boolean {
    return this.verified.has(peerId);
  }

  /** Records a good status; false (and no change) if the book is full of other peers. */
  markVerified(peerId: string, address: string, finalizedHeight: number, finalizedHash: Uint8Array): boolean {
    const known = this.verified.get(peerId);
    if (known === undefined && this.verified.size >= this.peersMax) return false;
    this.verified.set(peerId, { peerId, address, finalizedHeight, finalizedHash });
    return true;
  }

  remove(peerId: string): void {
    this.verified.delete(peerId);
  }

  ids(): string[] {
    return [...this.verified.keys()];
  }

  /** Copies, so callers cannot change the book. */
  list(): PeerRecord[] {
    return [...this.verified.values()].map((r) => ({ ...r }));
  }

  /** Refuses the peer's connections until untilMs (wall clock, Date.now()). */
  refuse(peerId: string, untilMs: number): void {
    this.verified.delete(peerId);
    this.refused.delete(peerId);
    if (this.refused.size >= REFUSED_PEERS_MAX) {
      const oldest = this.refused.keys().next();
      if (oldest.done !== true) this.refused.delete(oldest.value);
    }
    this.refused.set(peerId, untilMs);
  }

  isRefused(peerId: string, nowMs: number): boolean {
    const untilMs = this.refused.get(peerId);
    if (untilMs === undefined) return false;
    if (untilMs > nowMs) return true;
    this.refused.delete(peerId);
    return false;
  }

  clear(): void {
    this.verified.clear();
    this.refused.clear();
  }
}
