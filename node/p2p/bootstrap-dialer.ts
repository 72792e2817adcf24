// Keeps the node connected to its bootstrap peers: dials each at start, and again with exponential backoff
// (and jitter) after a failed dial or a lost connection, since validators start in any order. Quiet by design:
// the first failure of a streak is logged at info, later ones at debug, and one warning when the backoff
// reaches its ceiling. The backoff resets only when a peer passes the status handshake, so a peer that
// accepts and then drops us is not redialed in a tight loop. stop() clears every timer and aborts dials.
import { P2pError } from "./p2p-error.ts";
import type { ControlPlaneLog } from "./plane-context.ts";

export interface BootstrapTarget {
  peerId: string;
  address: string;
}

export interface BootstrapDialerOptions {
  targets: readonly BootstrapTarget[];
  /** Dials one address; rejects on failure. Must honour the signal. */
  dial(address: string, signal: AbortSignal): Promise<void>;
  isConnected(peerId: string): boolean;
  dialTimeoutMs: number;
  delayMinMs: number;
  delayMaxMs: number;
  log: ControlPlaneLog;
  /** [0, 1); jitter source, injectable for tests. */
  random?: () => number;
}

interface TargetState {
  target: BootstrapTarget;
  failures: number;
  delayMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  dialing: boolean;
  warnedAtCeiling: boolean;
}

/** Splits "/ip4/../tcp/../p2p/<id>" into its peer id and the full address; throws P2P_ERROR_INVALID_ARGUMENT. */
export function parseBootstrapAddress(address: string): BootstrapTarget {
  const match = /\/p2p\/([1-9A-HJ-NP-Za-km-z]+)$/.exec(address);
  if (match === null) throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", `bootstrap address needs a /p2p/<peerId> suffix: ${address}`);
  return { peerId: match[1]!, address };
}

export class BootstrapDialer {
  private readonly states = new Map<string, TargetState>();
  private readonly abort = new AbortController();
  private readonly random: () => number;

  constructor(private readonly o: BootstrapDialerOptions) {
    this.random = o.random ?? Math.random;
    for (const target of o.targets) {
      if (this.states.has(target.peerId)) continue;
      const state = { target, failures: 0, delayMs: o.delayMinMs, timer: undefined, dialing: false, warnedAtCeiling: false };
      this.states.set(target.peerId, state);
    }
  }

  start(): void {
    for (const state of this.states.values()) this.schedule(state, 0);
  }

  /** A bootstrap peer passed the handshake: its next loss is redialed after the shortest delay. */
  onVerified(peerId: string): void {
    const state = this.states.get(peerId);
    if (state === undefined) return;
    if (state.failures > 0) this.o.log("info", "p2p: bootstrap peer connected", { peerId, failedDials: state.failures });
    state.failures = 0;
    state.delayMs = this.o.delayMinMs;
    state.warnedAtCeiling = false;
  }

  /** The last connection to a peer closed; bootstrap peers are redialed after the current backoff. */
  onDisconnected(peerId: string): void {
    const state = this.states.get(peerId);
    if (state === undefined || this.abort.signal.aborted) return;
    this.schedule(state, this.nextDelay(state));
  }

  stop(): void {
    this.abort.abort();
    for (const state of this.states.values()) {
      if (state.timer !== undefined) clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  private schedule(state: TargetState, delayMs: number): void {
    if (this.abort.signal.aborted || state.timer !== undefined) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.attempt(state);
    }, delayMs);
  }

  /** Current delay with +-20% jitter, then doubles it up to the ceiling. */
  private nextDelay(state: TargetState): number {
    const delayMs = Math.round(state.delayMs * (0.8 + 0.4 * this.random()));
    state.delayMs = Math.min(state.delayMs * 2, this.o.delayMaxMs);
    return delayMs;
  }

  private async attempt(state: TargetState): Promise<void> {
    if (this.abort.signal.aborted || state.dialing || this.o.isConnected(state.target.peerId)) return;
    state.dialing = true;
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.o.dialTimeoutMs)]);
    try {
      await this.o.dial(state.target.address, signal);
    } catch (err) {
      if (this.abort.signal.aborted) return;
      state.failures++;
      const data = { peerId: state.target.peerId, address: state.target.address, failures: state.failures };
      if (state.failures === 1) {
        this.o.log("info", "p2p: bootstrap peer not reachable yet, retrying with backoff", { ...data, error: (err as Error).message });
      } else {
        this.o.log("debug", "p2p: bootstrap dial failed", { ...data, error: (err as Error).message });
      }
      if (state.delayMs >= this.o.delayMaxMs && !state.warnedAtCeiling) {
        state.warnedAtCeiling = true;
        this.o.log("warn", "p2p: bootstrap peer still unreachable, retrying at the backoff ceiling", { ...data, delayMs: this.o.delayMaxMs });
      }
      this.schedule(state, this.nextDelay(state));
    } finally {
      state.dialing = false;
    }
  }
}
