// Receive stamps for the UDP lane path: wall-clock microseconds (Date.now() gives milliseconds; the part below
// comes from process.hrtime since that millisecond was first seen), never decreasing: if the wall clock steps
// back, stamps hold still until it catches up, as native/lane_pipeline.h does with CLOCK_REALTIME.
// Time sources are injectable for tests.

export class StampClock {
  private lastUs = 0;
  private ms = -1;
  private msSeenAtNs = 0n;

  constructor(
    private readonly wallMs: () => number = Date.now,
    private readonly monoNs: () => bigint = process.hrtime.bigint,
  ) {}

  nowUs(): number {
    const ms = this.wallMs();
    const ns = this.monoNs();
    if (ms !== this.ms) {
      this.ms = ms;
      this.msSeenAtNs = ns;
    }
    const sub = Math.min(999, Number((ns - this.msSeenAtNs) / 1000n));
    const us = ms * 1000 + sub;
    if (us > this.lastUs) this.lastUs = us;
    return this.lastUs;
  }
}
