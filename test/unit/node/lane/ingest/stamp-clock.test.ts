// Receive stamps of the UDP lane path: microseconds that follow the wall clock, with a sub-millisecond part
// from the monotonic clock, and never go back (injected clocks, no sleeping).
import { describe, expect, it } from "vitest";

import { StampClock } from "../../../../../node/lane/ingest/stamp-clock.ts";

function rig(): { clock: StampClock; set: (ms: number, ns: bigint) => void } {
  let ms = 0;
  let ns = 0n;
  return {
    clock: new StampClock(
      () => ms,
      () => ns,
    ),
    set: (m, n) => {
      ms = m;
      ns = n;
    },
  };
}

describe("StampClock", () => {
  it("adds the monotonic time since the millisecond was first seen, below one millisecond", () => {
    const { clock, set } = rig();
    set(1_000, 5_000_000n);
    expect(clock.nowUs()).toBe(1_000_000);
    set(1_000, 5_250_000n);
    expect(clock.nowUs()).toBe(1_000_250);
    set(1_000, 9_000_000n); // the wall clock lags: capped inside its millisecond
    expect(clock.nowUs()).toBe(1_000_999);
    set(1_001, 9_100_000n);
    expect(clock.nowUs()).toBe(1_001_000);
  });

  it("never goes back when the wall clock steps back, and follows it again once it catches up", () => {
    const { clock, set } = rig();
    set(2_000, 0n);
    expect(clock.nowUs()).toBe(2_000_000);
    set(1_500, 1_000_000n);
    expect(clock.nowUs()).toBe(2_000_000);
    set(1_999, 2_000_000n);
    expect(clock.nowUs()).toBe(2_000_000);
    set(2_003, 3_000_000n);
    expect(clock.nowUs()).toBe(2_003_000);
  });

  it("reads real clocks as microseconds since the Unix epoch", () => {
    const clock = new StampClock();
    const before = Date.now() * 1000;
    const a = clock.nowUs();
    const b = clock.nowUs();
    expect(a).toBeGreaterThanOrEqual(before);
    expect(b).toBeGreaterThanOrEqual(a);
    expect(b).toBeLessThanOrEqual(Date.now() * 1000 + 1000);
  });
});
