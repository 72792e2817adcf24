// Bootstrap redial policy without sockets: backoff doubles to its ceiling, logs stay quiet, a verified peer
// resets the backoff, stop() leaves no timer behind. Timers are vitest's fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { BootstrapDialer, parseBootstrapAddress } from "../../../../node/p2p/bootstrap-dialer.ts";
import type { LogLevel } from "../../../../node/p2p/plane-context.ts";

const PEER = "12D3KooWJXSVM1ccyRZ1CWh8PkQhW64gV2AUhPwY27ULC2cDHF4k";
const ADDRESS = `/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`;

function setup(failuresBeforeSuccess: number) {
  const dialTimes: number[] = [];
  const logs: { level: LogLevel; msg: string }[] = [];
  let connected = false;
  const dialer = new BootstrapDialer({
    targets: [parseBootstrapAddress(ADDRESS)],
    dial: async () => {
      dialTimes.push(Date.now());
      if (dialTimes.length <= failuresBeforeSuccess) throw new Error("ECONNREFUSED");
      connected = true;
    },
    isConnected: () => connected,
    dialTimeoutMs: 1000,
    delayMinMs: 100,
    delayMaxMs: 800,
    log: (level, msg) => logs.push({ level, msg }),
    random: () => 0.5, // no jitter
  });
  return { dialer, dialTimes, logs, disconnect: () => (connected = false) };
}

describe("BootstrapDialer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("needs a /p2p/ suffix", () => {
    expect(parseBootstrapAddress(ADDRESS).peerId).toBe(PEER);
    expect(() => parseBootstrapAddress("/ip4/127.0.0.1/tcp/4001")).toThrow(/P2P_ERROR_INVALID_ARGUMENT/);
  });

  it("redials with doubling delays up to the ceiling, logging one info and one warning", async () => {
    const t = setup(6);
    t.dialer.start();
    await vi.advanceTimersByTimeAsync(10_000);
    // attempts at 0, then after 100, 200, 400, 800, 800, 800 ms
    expect(t.dialTimes).toEqual([0, 100, 300, 700, 1500, 2300, 3100]);
    expect(t.logs.filter((l) => l.level === "info").map((l) => l.msg)).toEqual(["p2p: bootstrap peer not reachable yet, retrying with backoff"]);
    expect(t.logs.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(t.logs.filter((l) => l.level === "debug")).toHaveLength(5);
    t.dialer.stop();
  });

  it("after a verified connection, a loss is redialed after the shortest delay", async () => {
    const t = setup(3);
    t.dialer.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.dialTimes).toHaveLength(4);
    t.dialer.onVerified(PEER);
    expect(t.logs.at(-1)).toMatchObject({ level: "info", msg: "p2p: bootstrap peer connected" });
    t.disconnect();
    const lostAt = Date.now();
    t.dialer.onDisconnected(PEER);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.dialTimes).toHaveLength(5);
    expect(t.dialTimes[4]! - lostAt).toBe(100);
    t.dialer.stop();
  });

  it("does not reset the backoff for a peer that connects but never verifies", async () => {
    const t = setup(0);
    t.dialer.start();
    await vi.advanceTimersByTimeAsync(0);
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      t.disconnect();
      const at = Date.now();
      t.dialer.onDisconnected(PEER);
      await vi.advanceTimersByTimeAsync(2_000);
      gaps.push(t.dialTimes.at(-1)! - at);
    }
    expect(gaps).toEqual([100, 200, 400]);
    t.dialer.stop();
  });

  it("stop() clears pending timers and ignores later disconnects", async () => {
    const t = setup(100);
    t.dialer.start();
    await vi.advanceTimersByTimeAsync(150);
    t.dialer.stop();
    expect(vi.getTimerCount()).toBe(0);
    t.dialer.onDisconnected(PEER);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.dialTimes).toHaveLength(2);
  });
});
