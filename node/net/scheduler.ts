// Time and deferred work as an injected dependency, so SimTransport runs on a simulated clock (the simulation
// supplies its own Scheduler) and on real timers elsewhere. Milliseconds, as the simulation counts them.

export interface Scheduler {
  now(): number;
  /** Runs fn at (or, if that is past, as soon as possible after) atMs on this scheduler's clock. */
  schedule(atMs: number, fn: () => void): void;
}

/** Real time: performance.now() and setTimeout. For SimTransport outside a simulation. */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  schedule(atMs, fn) {
    setTimeout(fn, Math.max(0, atMs - performance.now()));
  },
};

type Task = { at: number; seq: number; fn: () => void };

function before(x: Task, y: Task): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}

/**
 * A deterministic scheduler driven by hand: run(untilMs) executes due tasks in time order (ties in scheduling
 * order). Enough for tests; the simulation may bring its own with the same interface. Binary min-heap.
 */
export class ManualScheduler implements Scheduler {
  private time = 0;
  private seq = 0;
  private readonly heap: Task[] = [];

  now(): number {
    return this.time;
  }
  schedule(atMs: number, fn: () => void): void {
    const h = this.heap;
    h.push({ at: Math.max(atMs, this.time), seq: this.seq++, fn });
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  private pop(): Task {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  /** Runs every task due up to untilMs (tasks may schedule more); returns how many ran. */
  run(untilMs: number, tasksMax = 10_000_000): number {
    let ran = 0;
    while (ran < tasksMax && this.heap.length > 0 && this.heap[0]!.at <= untilMs) {
      const task = this.pop();
      this.time = task.at;
      task.fn();
      ran++;
    }
    this.time = Math.max(this.time, untilMs);
    return ran;
  }
  pendingCount(): number {
    return this.heap.length;
  }
}
