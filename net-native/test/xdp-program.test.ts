// The steering XDP program under BPF_PROG_TEST_RUN, with packet fixtures: only UDP to our address and ports is
// steered (with no socket in the map it is passed and counted as noSocket: the redirect itself is exercised by
// the netns suite); ARP, ICMP, TCP/22, IPv6, VLAN, other ports and addresses, fragments and truncated frames go
// to the kernel. Root only.
import { describe, expect, it } from "vitest";

import { parseIpv4 } from "../src/index.ts";
import { addon, addonSkipReason, rootSkipReason } from "./addon-for-tests.ts";

const XDP_PASS = 2;
const local = parseIpv4("10.77.0.2");
const skip = addonSkipReason ?? rootSkipReason;
if (skip && !addonSkipReason) console.log(`XDP program tests skipped: ${skip}`);

function udpFrame(dstPort: number, dstIp = local): Uint8Array {
  return new Uint8Array(addon!.frameBuild({
    srcMac: Uint8Array.of(2, 0, 0, 0, 0, 1),
    dstMac: Uint8Array.of(2, 0, 0, 0, 0, 2),
    srcIp: parseIpv4("10.77.0.1"),
    dstIp,
    srcPort: 5555,
    dstPort,
    payload: new Uint8Array(32),
  }));
}

function edited(f: Uint8Array, edit: (g: Uint8Array) => void): Uint8Array {
  const g = new Uint8Array(f);
  edit(g);
  return g;
}

function arpRequest(): Uint8Array {
  const f = new Uint8Array(42);
  f.fill(0xff, 0, 6);
  f.set([2, 0, 0, 0, 0, 1], 6);
  f.set([0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 1], 12);
  f.set([10, 77, 0, 1], 28);
  f.set([10, 77, 0, 2], 38);
  return f;
}

describe.skipIf(skip !== null)("XDP steering program (BPF_PROG_TEST_RUN)", () => {
  it("steers only UDP to our address and ports; passes everything else to the kernel", () => {
    const ours = udpFrame(9000);
    const fixtures: [string, Uint8Array, string][] = [
      ["ARP request", arpRequest(), "passNotIpv4"],
      ["ICMP echo to us", edited(ours, (g) => (g[23] = 1)), "passNotUdp"],
      ["TCP to port 22", edited(udpFrame(22), (g) => (g[23] = 6)), "passNotUdp"],
      ["UDP to another port", udpFrame(9001), "passOtherPort"],
      ["UDP to our port, other address", udpFrame(9000, parseIpv4("10.77.0.3")), "passOtherAddress"],
      ["IPv6", edited(ours, (g) => g.set([0x86, 0xdd], 12)), "passNotIpv4"],
      ["VLAN tagged", edited(ours, (g) => g.set([0x81, 0x00], 12)), "passNotIpv4"],
      ["IPv4 header length below 5", edited(ours, (g) => (g[14] = 0x44)), "passNotIpv4"],
      ["IPv4 fragment", edited(ours, (g) => (g[20] |= 0x20)), "passFragment"],
      ["Ethernet header only", ours.subarray(0, 14), "passTruncated"],
      ["IPv4 header cut short", ours.subarray(0, 30), "passTruncated"],
      ["UDP header cut short", ours.subarray(0, 38), "passTruncated"],
      ["IPv4 options run past the frame", edited(ours.subarray(0, 42), (g) => (g[14] = 0x4f)), "passTruncated"],
      ["UDP to our port (second port too)", udpFrame(9100), "noSocket"],
      ["UDP to our port", ours, "noSocket"],
    ];
    const result = addon!.steerTestRun({ localIp: local, ports: [9000, 9100] }, fixtures.map((f) => f[1]));
    fixtures.forEach(([name], i) => expect(result.actions[i], name).toBe(XDP_PASS));
    const expected: Record<string, number> = {};
    for (const [, , stat] of fixtures) expected[stat] = (expected[stat] ?? 0) + 1;
    for (const [stat, n] of Object.entries(result.stats)) expect(n, stat).toBe(expected[stat] ?? 0);
  });

  it("accepts any destination when no local address is configured", () => {
    const result = addon!.steerTestRun({ localIp: 0, ports: [9000] }, [udpFrame(9000, parseIpv4("10.77.0.9"))]);
    expect(result.stats.noSocket).toBe(1);
  });

  it("refuses more ports than the map holds, with a coded error", () => {
    const ports = Array.from({ length: 17 }, (_, i) => 1000 + i);
    expect(() => addon!.steerTestRun({ localIp: local, ports }, [])).toThrowError(
      expect.objectContaining({ code: "XDP_ERROR_INVALID_ARGUMENT" }),
    );
  });
});
