// The shared DatagramTransport compliance suite against the real transports: UdpTransport on loopback (any
// user), and in network namespaces joined by veth (root only) XdpTransport <-> XdpTransport and
// XdpTransport <-> UdpTransport. SimTransport runs the same suite in test/unit/node/net.
import { afterAll, beforeAll, describe } from "vitest";

import type { DatagramTransport } from "../../node/net/datagram-transport.ts";
import { UdpTransport } from "../../node/net/udp-transport.ts";
import { XdpTransport } from "../../node/net/xdp-transport.ts";
import { describeTransportCompliance, type ComplianceHarness } from "../unit/node/net/transport-compliance.ts";
import { inNetns, NetnsFixture, netnsSkipReason, type VethPair } from "./netns-fixture.ts";

async function until(cond: () => boolean, boundMs: number): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
  return cond();
}

describeTransportCompliance("UdpTransport on loopback", {
  async open() {
    const a = await UdpTransport.open({ host: "127.0.0.1", port: 0 });
    const b = await UdpTransport.open({ host: "127.0.0.1", port: 0 });
    return { a, b };
  },
  until,
});

const skip = netnsSkipReason();
if (skip) console.log(`netns compliance suites skipped: ${skip}`);

describe.skipIf(skip !== null)("in network namespaces", () => {
  const fixture = new NetnsFixture();
  let pair: VethPair;
  beforeAll(() => {
    pair = fixture.pair(181);
  });
  afterAll(() => fixture.destroy());

  const xdpA = (): Promise<DatagramTransport> =>
    XdpTransport.open({ interface: pair.ifA, host: pair.ipA, port: 9000, netns: pair.nsA, mode: "skb" });

  const xdpXdp: ComplianceHarness = {
    async open() {
      const b = await XdpTransport.open({ interface: pair.ifB, host: pair.ipB, port: 9000, netns: pair.nsB, mode: "drv" });
      return { a: await xdpA(), b };
    },
    until,
  };
  const xdpUdp: ComplianceHarness = {
    async open() {
      const b = await inNetns(pair.nsB, () => UdpTransport.open({ host: pair.ipB, port: 9000 }));
      return { a: await xdpA(), b };
    },
    until,
  };
  describeTransportCompliance("XdpTransport (skb) <-> XdpTransport (drv) over veth", xdpXdp);
  describeTransportCompliance("XdpTransport <-> UdpTransport over veth", xdpUdp);
});
