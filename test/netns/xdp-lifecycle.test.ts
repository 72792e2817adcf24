// AF_XDP attachment lifecycle between two network namespaces: ARP and ping keep working while the program is
// attached on both ends; close detaches and a reopen works; a SIGKILLed process leaves nothing attached
// (bpf_link); oversized datagrams from a peer arrive as IPv4 fragments, go to the kernel and never reach
// JavaScript; the next hop is found by ARP when the neighbour table is empty. Root only.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { DatagramTransport } from "../../node/net/datagram-transport.ts";
import { UdpTransport } from "../../node/net/udp-transport.ts";
import { XdpTransport } from "../../node/net/xdp-transport.ts";
import { receiveInto, sendPaced, until } from "./exchange.ts";
import { inNetns, NetnsFixture, netnsSkipReason, type VethPair } from "./netns-fixture.ts";

const skip = netnsSkipReason();
if (skip) console.log(`AF_XDP lifecycle tests skipped: ${skip}`);

describe.skipIf(skip !== null)("AF_XDP lifecycle over veth", () => {
  const fixture = new NetnsFixture();
  let pair: VethPair;
  const open: DatagramTransport[] = [];
  const track = <T extends DatagramTransport>(t: T): T => {
    open.push(t);
    return t;
  };
  const attached = (ns: string, ifname: string): boolean => /prog\/xdp/.test(fixture.link(ns, ifname));
  const openA = (): Promise<XdpTransport> =>
    XdpTransport.open({ interface: pair.ifA, host: pair.ipA, port: 9000, netns: pair.nsA, mode: "skb" });

  beforeAll(() => {
    pair = fixture.pair(184);
  });
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  afterAll(() => fixture.destroy());

  it("keeps ARP and ping working while the program is attached on both ends", async () => {
    track(await openA());
    track(await XdpTransport.open({ interface: pair.ifB, host: pair.ipB, port: 9000, netns: pair.nsB, mode: "drv" }));
    expect(attached(pair.nsA, pair.ifA) && attached(pair.nsB, pair.ifB)).toBe(true);
    fixture.exec(pair.nsA, "ip", ["neigh", "flush", "all"]);
    fixture.exec(pair.nsB, "ip", ["neigh", "flush", "all"]);
    const out = fixture.exec(pair.nsA, "ping", ["-c", "3", "-i", "0.2", "-W", "2", pair.ipB]);
    expect(out).toMatch(/3 received/);
    expect(fixture.exec(pair.nsA, "ip", ["neigh", "show", pair.ipB])).toMatch(/lladdr/); // ARP answered
  });

  it("detaches on close and reopens on the same interface and queue", async () => {
    const u = track(await inNetns(pair.nsB, () => UdpTransport.open({ host: pair.ipB, port: 9001 })));
    for (let round = 0; round < 3; round++) {
      const x = await openA();
      expect(attached(pair.nsA, pair.ifA)).toBe(true);
      const got = receiveInto(x, 100);
      await sendPaced(u, x, 100, 50);
      expect(await until(() => got.unique === 100, 5000)).toBe(true);
      await x.close();
      expect(attached(pair.nsA, pair.ifA)).toBe(false);
    }
  });

  it("closes safely while a peer floods it, then reopens", async () => {
    const u = track(await inNetns(pair.nsB, () => UdpTransport.open({ host: pair.ipB, port: 9004 })));
    for (let round = 0; round < 3; round++) {
      const x = await openA();
      x.onBatch(() => {});
      const flood = (async () => {
        for (let i = 0; i < 40; i++) {
          u.send(Array.from({ length: 250 }, () => ({ peer: x.localAddress, payload: new Uint8Array(200) })));
          await new Promise((r) => setImmediate(r));
        }
      })();
      await until(() => x.stats().rxDatagrams > 1000 * round, 2000);
      await x.close(); // receive threads joined with frames in the rings
      await flood;
    }
  });

  it("leaves nothing attached when its process is killed with SIGKILL", async () => {
    const holder = fileURLToPath(new URL("./xdp-holder.ts", import.meta.url));
    const child = spawn("ip", ["netns", "exec", pair.nsA, process.execPath, "--import", "tsx", holder, pair.ifA, pair.ipA, "9000"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = (await Promise.race([once(child.stdout!, "data"), once(child, "exit")])) as [Buffer];
      expect(String(line)).toMatch(/ready/);
      expect(attached(pair.nsA, pair.ifA)).toBe(true);
      child.kill("SIGKILL");
      await once(child, "exit");
      expect(await until(() => !attached(pair.nsA, pair.ifA), 5000)).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
    const x = track(await openA()); // and the queue is usable again
    expect(x.description.queues).toEqual([0]);
  });

  it("passes a peer's fragmented, oversized datagram to the kernel without crashing or delivering it", async () => {
    const x = track(await openA());
    const got = receiveInto(x, 10);
    const u = track(await inNetns(pair.nsB, () => UdpTransport.open({ host: pair.ipB, port: 9002, payloadMaxBytes: 4000 })));
    u.send([{ peer: x.localAddress, payload: new Uint8Array(3000) }]);
    expect(await until(() => x.nativeStats().program.passFragment >= 3, 5000)).toBe(true);
    await sendPaced(u, x, 10, 10); // still receiving afterwards
    expect(await until(() => got.unique === 10, 5000)).toBe(true);
    expect(got.received).toBe(10);
  });

  it("resolves the next hop by ARP when the neighbour table is empty, or uses a configured MAC", async () => {
    fixture.exec(pair.nsA, "ip", ["neigh", "flush", "all"]);
    const u = track(await inNetns(pair.nsB, () => UdpTransport.open({ host: pair.ipB, port: 9003 })));
    const got = receiveInto(u, 200);
    const x = track(await openA());
    await sendPaced(x, u, 100, 50);
    expect(await until(() => got.unique === 100, 5000)).toBe(true);
    await x.close();
    const macB = /link\/ether ([0-9a-f:]+)/.exec(fixture.link(pair.nsB, pair.ifB))![1]!;
    const fixed = track(await XdpTransport.open({
      interface: pair.ifA, host: pair.ipA, port: 9000, netns: pair.nsA, mode: "skb", nextHopMac: macB,
    }));
    fixed.send([{ peer: u.localAddress, payload: new Uint8Array(8) }]);
    expect(await until(() => got.received === 101, 5000)).toBe(true);
  });
});
