// Next-hop MACs for AF_XDP sending, which bypasses the kernel's routing and ARP. Answers from configuration
// first (a fixed next hop, or static entries), then from a cache filled from the kernel's route and neighbour
// tables; a miss asks the kernel to resolve (ARP) and is answered "pending". Entries are re-read after
// refreshMs so a changed neighbour is followed; until the kernel answers again the old MAC is used.
import type { NativeResolveResult } from "../../net-native/src/index.ts";

export type NeighbourAnswer = { kind: "mac"; mac: Uint8Array } | { kind: "pending" } | { kind: "failed"; why: string };

export interface NeighbourTableOptions {
  resolve: (ip: number) => NativeResolveResult;
  now: () => number;
  fixed?: Uint8Array;
  staticEntries?: ReadonlyMap<number, Uint8Array>;
  refreshMs?: number;
  entriesMax?: number;
}

export class NeighbourTable {
  private readonly cache = new Map<number, { mac: Uint8Array; checkedMs: number }>();
  private readonly refreshMs: number;
  private readonly entriesMax: number;

  constructor(private readonly options: NeighbourTableOptions) {
    this.refreshMs = options.refreshMs ?? 30_000;
    this.entriesMax = options.entriesMax ?? 4096;
  }

  /** `now` may be passed by a caller looking up a whole batch, to read the clock once. */
  lookup(ip: number, now = this.options.now()): NeighbourAnswer {
    if (this.options.fixed) return { kind: "mac", mac: this.options.fixed };
    const configured = this.options.staticEntries?.get(ip);
    if (configured) return { kind: "mac", mac: configured };
    const hit = this.cache.get(ip);
    if (hit && now - hit.checkedMs < this.refreshMs) return { kind: "mac", mac: hit.mac };
    const r = this.options.resolve(ip);
    if (r.state === "valid" && r.mac) {
      if (!hit && this.cache.size >= this.entriesMax) this.cache.clear();
      this.cache.set(ip, { mac: Uint8Array.from(r.mac), checkedMs: now });
      return { kind: "mac", mac: this.cache.get(ip)!.mac };
    }
    if (hit) {
      hit.checkedMs = now; // the kernel is re-resolving; keep sending to the MAC we had
      return { kind: "mac", mac: hit.mac };
    }
    return r.state === "failed" ? { kind: "failed", why: r.why ?? "unresolvable" } : { kind: "pending" };
  }
}
