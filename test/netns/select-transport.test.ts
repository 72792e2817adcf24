// Transport selection inside a network namespace: `auto` picks AF_XDP when it can, and otherwise logs exactly
// one line with the reason and opens UDP; `xdp` fails with the reason instead; `udp` never tries AF_XDP.
// Root only (the non-root reasons are unit-tested in test/unit/node/net/xdp-support.test.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { DatagramTransport } from "../../node/net/datagram-transport.ts";
import { openTransport } from "../../node/net/select-transport.ts";
import { XdpTransport } from "../../node/net/xdp-transport.ts";
import { inNetns, NetnsFixture, netnsSkipReason, type VethPair } from "./netns-fixture.ts";

const skip = netnsSkipReason();
if (skip) console.log(`transport selection tests skipped: ${skip}`);

describe.skipIf(skip !== null)("openTransport", () => {
  const fixture = new NetnsFixture();
  let pair: VethPair;
  const open: DatagramTransport[] = [];
  beforeAll(() => {
    pair = fixture.pair(185);
  });
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  afterAll(() => fixture.destroy());

  const choose = (choice: "auto" | "xdp" | "udp", extra: { interface?: string; port?: number } = {}) => {
    const lines: string[] = [];
    const opened = inNetns(pair.nsA, () =>
      openTransport({ choice, host: pair.ipA, port: extra.port ?? 9000, interface: extra.interface, log: (l) => lines.push(l) }));
    return { lines, opened };
  };

  it("auto uses AF_XDP when it can, finding the interface from the address, and logs nothing", async () => {
    const { lines, opened } = choose("auto");
    const { transport, fallbackReason } = await opened;
    open.push(transport);
    expect(transport.kind).toBe("xdp");
    expect((transport as XdpTransport).description.mode).toMatch(/skb|drv/);
    expect(fallbackReason).toBeUndefined();
    expect(lines).toEqual([]);
  });

  it("auto falls back to UDP with one line naming the reason (interface missing)", async () => {
    const { lines, opened } = choose("auto", { interface: "nosuchif0" });
    const { transport, fallbackReason } = await opened;
    open.push(transport);
    expect(transport.kind).toBe("udp");
    expect(fallbackReason).toMatch(/nosuchif0/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/AF_XDP unavailable, using UDP .*nosuchif0/);
  });

  it("auto falls back when opening fails (another program holds the interface), with the error code", async () => {
    const first = await choose("auto").opened;
    open.push(first.transport);
    const { lines, opened } = choose("auto", { port: 9001 });
    const second = await opened;
    open.push(second.transport);
    expect(second.transport.kind).toBe("udp");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/XDP_ERROR_ATTACH/);
  });

  it("xdp refuses to fall back; udp never tries AF_XDP", async () => {
    await expect(choose("xdp", { interface: "nosuchif0" }).opened).rejects.toMatchObject({ code: "TRANSPORT_ERROR_XDP_UNAVAILABLE" });
    const { lines, opened } = choose("udp");
    const { transport } = await opened;
    open.push(transport);
    expect(transport.kind).toBe("udp");
    expect(lines).toEqual([]);
  });
});
