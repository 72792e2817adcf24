// Notices event-loop stalls: a timer that should fire every checkMs and comes late by more than warnMs means
// the thread was blocked (votes and timeouts waited behind it). Logs each stall and counts them for status.

export class EventLoopWatch {
  stalls = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(onStall: (stalledMs: number) => void, checkMs = 50, warnMs = 200) {
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const stalledMs = now - last - checkMs;
      last = now;
      if (stalledMs > warnMs) {
        this.stalls++;
        onStall(Math.round(stalledMs));
      }
    }, checkMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
