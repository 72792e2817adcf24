// AF_XDP under load between two network namespaces: 100k datagrams each way between XdpTransports, and between
// an XdpTransport and a UdpTransport, at a moderate paced rate, none lost, none damaged; then two receive
// queues, both used, nothing lost. Root only; namespaces and links are removed afterwards.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { DatagramTransport } from "../../node/net/datagram-transport.ts";
import { UdpTransport } from "../../node/net/udp-transport.ts";
import { XdpTransport } from "../../node/net/xdp-transport.ts";
import { receiveInto, sendPaced, until } from "./exchange.ts";
import { inNetns, NetnsFixture, netnsSkipReason, type VethPair } from "./netns-fixture.ts";

const COUNT = 100_000;
const PER_TICK = 50; // about 40k datagrams/s with 1 ms ticks: moderate, well under any ring's capacity
const skip = netnsSkipReason();
if (skip) console.log(`AF_XDP exchange tests skipped: ${skip}`);

describe.skipIf(skip !== null)("AF_XDP exchange over veth", () => {
  const fixture = new NetnsFixture();
  let pair: VethPair;
  let pair2: VethPair;
  const open: DatagramTransport[] = [];
  const track = <T extends DatagramTransport>(t: T): T => {
    open.push(t);
    return t;
  };

  beforeAll(() => {
    pair = fixture.pair(182);
    pair2 = fixture.pair(183, 2);
  });
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  afterAll(() => fixture.destroy());

  it("XdpTransport <-> XdpTransport: 100k datagrams each way, none lost, payloads intact", async () => {
    const a = track(await XdpTransport.open({ interface: pair.ifA, host: pair.ipA, port: 9000, netns: pair.nsA, mode: "skb" }));
    const b = track(await XdpTransport.open({ interface: pair.ifB, host: pair.ipB, port: 9000, netns: pair.nsB, mode: "drv" }));
    const atA = receiveInto(a, COUNT);
    const atB = receiveInto(b, COUNT);
    await Promise.all([sendPaced(a, b, COUNT, PER_TICK), sendPaced(b, a, COUNT, PER_TICK)]);
    await until(() => atA.unique === COUNT && atB.unique === COUNT, 10_000);
    for (const [r, t] of [[atA, a], [atB, b]] as const) {
      expect(r.corrupt).toBe(0);
      expect(r.unique).toBe(COUNT);
      expect(r.received).toBe(COUNT);
      expect(t.stats().rxDrops).toEqual({});
      expect(t.stats().txDrops).toEqual({});
    }
  });

  it("XdpTransport <-> UdpTransport: 100k datagrams each way, none lost, payloads intact", async () => {
    const x = track(await XdpTransport.open({ interface: pair.ifA, host: pair.ipA, port: 9000, netns: pair.nsA }));
    const u = track(await inNetns(pair.nsB, () => UdpTransport.open({ host: pair.ipB, port: 9000, recvBufferBytes: 4 << 20 })));
    const atX = receiveInto(x, COUNT);
    const atU = receiveInto(u, COUNT);
    await sendPaced(x, u, COUNT, PER_TICK);
    await sendPaced(u, x, COUNT, PER_TICK);
    await until(() => atX.unique === COUNT && atU.unique === COUNT, 10_000);
    expect([atU.corrupt, atU.unique, atU.received]).toEqual([0, COUNT, COUNT]);
    expect([atX.corrupt, atX.unique, atX.received]).toEqual([0, COUNT, COUNT]);
  });

  it("receives on two queues, both used, nothing lost", async () => {
    const x = track(await XdpTransport.open({
      interface: pair2.ifA, host: pair2.ipA, port: 9000, netns: pair2.nsA, mode: "drv", queues: "all",
    }));
    expect(x.description.queues).toEqual([0, 1]);
    // 32 sending sockets = 32 flows: the sender's veth spreads flows over its two TX queues, and a veth
    // receive queue is the peer's TX queue, so both receive queues see traffic.
    const senders = await inNetns(pair2.nsB, () =>
      Promise.all(Array.from({ length: 32 }, () => UdpTransport.open({ host: pair2.ipB, port: 0 }))));
    senders.forEach(track);
    const per = 500;
    const at = receiveInto(x, senders.length * per);
    for (let s = 0; s < senders.length; s++) {
      senders[s]!.send(Array.from({ length: per }, (_, k) => {
        const i = s * per + k;
        const payload = new Uint8Array([16, 64, 200, 512, 1000, 1200][i % 6]!);
        return { peer: x.localAddress, payload: fill(payload, i) };
      }));
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(() => at.unique === senders.length * per, 10_000);
    expect(at.corrupt).toBe(0);
    expect(at.unique).toBe(senders.length * per);
    const perQueue = x.nativeStats().queues.map((q) => q.rx.datagrams);
    expect(perQueue).toHaveLength(2);
    expect(perQueue.every((n) => n > 0)).toBe(true);
  });
});

function fill(p: Uint8Array, i: number): Uint8Array {
  for (let k = 0; k < p.length; k++) p[k] = (i * 131 + k * 7) & 0xff;
  new DataView(p.buffer).setUint32(0, i, true);
  return p;
}
