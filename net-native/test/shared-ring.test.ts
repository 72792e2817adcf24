// The receive path without a network device: FakeNic plays the kernel over plain memory, a real receive thread
// fills the shared ring, and SharedRingReader drains it on wakeups, as XdpTransport does. Covers payload
// integrity, refused frames counted by cause, at most one wakeup per batch, slots released even when the
// handler throws, and closing while frames are in flight (the ASan run repeats these under the sanitizer).
import { describe, expect, it } from "vitest";

import { SharedRingReader, type NativeFakeNic } from "../src/index.ts";
import { addon, addonSkipReason } from "./addon-for-tests.ts";

function checkSeq(p: Uint8Array): number {
  const seq = p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! * 2 ** 24);
  for (let i = 4; i < p.length; i++) if (p[i] !== ((seq * 31 + i) & 0xff)) return -1;
  return seq;
}

interface Rig {
  nic: NativeFakeNic;
  reader: SharedRingReader;
  seen: Uint8Array;
  corrupt: number;
  delivered: number;
  wakes: number;
}

function rig(count: number, options: { ringSlots?: number; poll?: "wakeup" | "busy" } = {}): Rig {
  const r = {} as Rig;
  r.seen = new Uint8Array(count);
  r.corrupt = 0;
  r.delivered = 0;
  r.wakes = 0;
  const onWake = (): void => {
    r.wakes++;
    r.reader.drain(256, 1 << 20, (batch) => {
      for (const d of batch) {
        const seq = checkSeq(d.payload);
        if (seq < 0 || seq >= count || d.peer.host !== "10.0.0.1" || d.localPort !== 9000) r.corrupt++;
        else r.seen[seq]!++;
      }
      r.delivered += batch.length;
    });
  };
  r.nic = new addon!.FakeNic({ ringSlots: options.ringSlots ?? 1024, frames: 512, poll: options.poll ?? "wakeup" }, onWake);
  r.reader = new SharedRingReader(r.nic.buffer());
  return r;
}

async function until(cond: () => boolean, boundMs: number): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (!cond() && Date.now() < end) await new Promise((res) => setTimeout(res, 2));
  return cond();
}

describe.skipIf(addonSkipReason !== null)("shared ring over a plain-memory queue", () => {
  it("delivers every datagram intact, in batches, waking JavaScript at most once per batch", async () => {
    const count = 50_000;
    const r = rig(count);
    r.nic.inject({ count, payloadBytes: 200 });
    expect(await until(() => r.delivered + r.nic.stats().ringFull >= count, 30_000)).toBe(true);
    const s = r.nic.stats();
    expect(r.corrupt).toBe(0);
    expect(r.delivered).toBe(s.datagrams);
    expect(r.delivered + s.ringFull).toBe(count);
    expect(r.seen.every((n, seq) => n === 1 || (n === 0 && s.ringFull > 0 && seq >= 0))).toBe(true);
    expect(s.wakeups).toBeLessThanOrEqual(s.batches);
    expect(r.wakes).toBeLessThanOrEqual(s.wakeups);
    r.nic.close();
  });

  it("counts truncated, corrupted and misaddressed frames and delivers the rest", async () => {
    const count = 10_000;
    const r = rig(count);
    r.nic.inject({ count, payloadBytes: 64, badChecksumEvery: 100, truncateEvery: 101, wrongPortEvery: 102 });
    expect(await until(() => r.nic.stats().frames >= count, 30_000)).toBe(true);
    await until(() => r.reader.pending() === 0, 5_000);
    const s = r.nic.stats();
    // seq 5099 is both a bad checksum and a wrong port: the port is checked first.
    expect(s.refused.badChecksum).toBe(99);
    expect(s.refused.truncated).toBe(99);
    expect(s.refused.wrongPort).toBe(98);
    expect(r.delivered + s.ringFull).toBe(count - 296);
    expect(r.corrupt).toBe(0);
    r.nic.close();
  });

  it("releases slots when the handler throws", () => {
    const nic = new addon!.FakeNic({ ringSlots: 64 }, () => {});
    const reader = new SharedRingReader(nic.buffer());
    nic.inject({ count: 10, payloadBytes: 8 });
    nic.waitInjected();
    const deadline = Date.now() + 5000;
    while (reader.pending() < 10 && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    expect(() => reader.drain(4, 100, () => {
      throw new Error("handler bug");
    })).toThrow("handler bug");
    expect(reader.pending()).toBe(6);
    nic.close();
  });

  it("closes while frames are in flight, from inside a handler, and twice", async () => {
    for (let round = 0; round < 10; round++) {
      const r = rig(1 << 30, { ringSlots: 64, poll: round % 2 ? "busy" : "wakeup" });
      r.nic.inject({ count: 1 << 30, payloadBytes: 100 });
      await until(() => r.delivered > round * 50, 2000);
      r.nic.close();
      r.nic.close();
    }
    const nic = new addon!.FakeNic({ ringSlots: 64 }, () => {
      reader.drain(8, 64, () => nic.close());
    });
    const reader = new SharedRingReader(nic.buffer());
    nic.inject({ count: 1 << 30 });
    expect(await until(() => nic.stats().datagrams > 0, 5000)).toBe(true);
    await until(() => false, 20);
    nic.close();
    expect(() => nic.inject({ count: 1 })).toThrowError(expect.objectContaining({ code: "XDP_ERROR_CLOSED" }));
  });
});
