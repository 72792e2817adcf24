// The contract every DatagramTransport implementation passes (XdpTransport, UdpTransport, SimTransport).
// A harness opens two connected transports and lets time pass (real time, or a simulated clock); the
// cases below only use the DatagramTransport interface. Counts are bounded; no timing is asserted.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { Datagram, DatagramTransport } from "../../../../node/net/datagram-transport.ts";
import { TransportError } from "../../../../node/net/transport-error.ts";

export interface ComplianceHarness {
  open(): Promise<{ a: DatagramTransport; b: DatagramTransport }>;
  /** Lets time pass until cond() holds or boundMs (real or simulated) elapse; returns cond(). */
  until(cond: () => boolean, boundMs: number): Promise<boolean>;
  /** Called after both transports were closed. */
  cleanup?(): Promise<void>;
}

/** Payload i of a test run: its length and bytes are derived from i, so the receiver can check it alone. */
export function testPayload(i: number, length: number): Uint8Array {
  const p = new Uint8Array(length);
  for (let k = 0; k < length; k++) p[k] = (i * 131 + k * 7) & 0xff;
  if (length >= 4) new DataView(p.buffer).setUint32(0, i, true);
  return p;
}

export function checkPayload(p: Uint8Array): number {
  if (p.length < 4) return -1;
  const i = new DataView(p.buffer, p.byteOffset, p.length).getUint32(0, true);
  for (let k = 4; k < p.length; k++) if (p[k] !== ((i * 131 + k * 7) & 0xff)) return -1;
  return i;
}

function collect(t: DatagramTransport): { items: { host: string; port: number; bytes: Uint8Array }[]; batches: number } {
  const box = { items: [] as { host: string; port: number; bytes: Uint8Array }[], batches: 0 };
  t.onBatch((batch) => {
    box.batches++;
    for (const d of batch) box.items.push({ host: d.peer.host, port: d.peer.port, bytes: new Uint8Array(d.payload) });
  });
  return box;
}

export function describeTransportCompliance(name: string, harness: ComplianceHarness): void {
  describe(`DatagramTransport compliance: ${name}`, () => {
    let a: DatagramTransport;
    let b: DatagramTransport;

    beforeEach(async () => {
      ({ a, b } = await harness.open());
    });
    afterEach(async () => {
      await a?.close();
      await b?.close();
      await harness.cleanup?.();
    });

    it("has a local address and a payload limit of at least 1200 bytes", () => {
      expect(a.localAddress.port).toBeGreaterThan(0);
      expect(a.localAddress.host.length).toBeGreaterThan(0);
      expect(a.payloadMaxBytes).toBeGreaterThanOrEqual(1200);
    });

    it("delivers a batch intact, in batches, with the sender's address", async () => {
      const got = collect(b);
      const sizes = [0, 1, 4, 64, 512, 1200, a.payloadMaxBytes];
      const batch: Datagram[] = Array.from({ length: 100 }, (_, i) => ({
        peer: b.localAddress,
        payload: testPayload(i, sizes[i % sizes.length]!),
      }));
      a.send(batch);
      expect(await harness.until(() => got.items.length >= 100, 5000)).toBe(true);
      expect(got.batches).toBeGreaterThan(0);
      expect(got.batches).toBeLessThanOrEqual(100);
      const seen = new Set<number>();
      for (const item of got.items) {
        expect(item.host).toBe(a.localAddress.host);
        expect(item.port).toBe(a.localAddress.port);
        if (item.bytes.length >= 4) seen.add(checkPayload(item.bytes));
      }
      expect(seen.has(-1)).toBe(false);
      expect(got.items.map((x) => x.bytes.length).sort((x, y) => x - y)).toEqual(batch.map((d) => d.payload.length).sort((x, y) => x - y));
    });

    it("works in both directions", async () => {
      const atB = collect(b);
      const atA = collect(a);
      a.send([{ peer: b.localAddress, payload: testPayload(1, 32) }]);
      expect(await harness.until(() => atB.items.length === 1, 5000)).toBe(true);
      b.send([{ peer: a.localAddress, payload: testPayload(2, 32) }]);
      expect(await harness.until(() => atA.items.length === 1, 5000)).toBe(true);
      expect(checkPayload(atA.items[0]!.bytes)).toBe(2);
    });

    it("refuses a whole batch with one oversized payload and sends none of it", async () => {
      const got = collect(b);
      const batch = [
        { peer: b.localAddress, payload: testPayload(1, 10) },
        { peer: b.localAddress, payload: new Uint8Array(a.payloadMaxBytes + 1) },
      ];
      expect(() => a.send(batch)).toThrowError(TransportError);
      try {
        a.send(batch);
      } catch (err) {
        expect((err as TransportError).code).toBe("TRANSPORT_ERROR_PAYLOAD_TOO_LARGE");
      }
      a.send([{ peer: b.localAddress, payload: testPayload(7, 10) }]);
      expect(await harness.until(() => got.items.length >= 1, 5000)).toBe(true);
      await harness.until(() => false, 50);
      expect(got.items.map((x) => checkPayload(x.bytes))).toEqual([7]);
    });

    it("refuses invalid destination ports", () => {
      const bad = [{ peer: { host: b.localAddress.host, port: 0 }, payload: new Uint8Array(1) }];
      expect(() => a.send(bad)).toThrowError(/TRANSPORT_ERROR_INVALID_ADDRESS/);
    });

    it("counts datagrams that arrive with no handler as dropped", async () => {
      b.onBatch(null);
      a.send([{ peer: b.localAddress, payload: testPayload(1, 16) }]);
      expect(await harness.until(() => (b.stats().rxDrops.noHandler ?? 0) >= 1, 5000)).toBe(true);
    });

    it("counts what it sends and receives", async () => {
      const got = collect(b);
      a.send(Array.from({ length: 10 }, (_, i) => ({ peer: b.localAddress, payload: testPayload(i, 100) })));
      expect(await harness.until(() => got.items.length === 10, 5000)).toBe(true);
      expect(a.stats().txDatagrams).toBeGreaterThanOrEqual(10);
      expect(a.stats().txBytes).toBeGreaterThanOrEqual(1000);
      expect(b.stats().rxDatagrams).toBe(10);
      expect(b.stats().rxBytes).toBe(1000);
      expect(b.stats().rxBatches).toBeGreaterThan(0);
    });

    it("closes idempotently, refuses sends after close, and accepts an aborted signal", async () => {
      await a.close(AbortSignal.abort());
      await a.close();
      expect(() => a.send([{ peer: b.localAddress, payload: new Uint8Array(1) }])).toThrowError(/TRANSPORT_ERROR_CLOSED/);
    });

    it("lets a handler close its own transport mid-batch", async () => {
      let calls = 0;
      b.onBatch(() => {
        calls++;
        void b.close();
      });
      a.send(Array.from({ length: 20 }, (_, i) => ({ peer: b.localAddress, payload: testPayload(i, 8) })));
      expect(await harness.until(() => calls >= 1, 5000)).toBe(true);
      await harness.until(() => false, 20);
      expect(calls).toBe(1);
    });
  });
}
