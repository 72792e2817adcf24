// The simulated clock: a binary heap of events ordered by (time, insertion sequence), so equal-time events run
// in a deterministic order. No real timers anywhere in the simulator.

interface Event {
  atMs: number;
  seq: number;
  run: () => void;
}

export class EventQueue {
  private heap: Event[] = [];
  private seq = 0;
  nowMs = 0;
  eventsRun = 0;

  schedule(afterMs: number, run: () => void): void {
    const event = { atMs: this.nowMs + Math.max(0, afterMs), seq: this.seq++, run };
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  get size(): number {
    return this.heap.length;
  }

  /** Runs the next event if it is due at or before `untilMs`; false when none is. */
  runNext(untilMs: number): boolean {
    const heap = this.heap;
    const top = heap[0];
    if (!top || top.atMs > untilMs) return false;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    this.nowMs = top.atMs;
    this.eventsRun++;
    top.run();
    return true;
  }
}

function before(a: Event, b: Event): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
