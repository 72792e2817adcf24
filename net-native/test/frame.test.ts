// Frame building and validation over plain memory, checked against an independent JavaScript implementation of
// the RFC 1071 checksum; the IPv4 helpers and the staging layout the native send path reads.
import { describe, expect, it } from "vitest";

import { formatIpv4, parseIpv4, parseMac, TxStager } from "../src/index.ts";
import { addon, addonSkipReason } from "./addon-for-tests.ts";

function onesSum(bytes: Uint8Array, start = 0): number {
  let sum = start;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

const spec = {
  srcMac: Uint8Array.of(2, 0, 0, 0, 0, 1),
  dstMac: Uint8Array.of(2, 0, 0, 0, 0, 2),
  srcIp: parseIpv4("10.9.0.1"),
  dstIp: parseIpv4("10.9.0.2"),
  srcPort: 40000,
  dstPort: 9000,
};
const filter = { localIp: spec.dstIp, ports: [9000], payloadMax: 1472 };

describe.skipIf(addonSkipReason !== null)("frames built natively", () => {
  it("carries correct Ethernet, IPv4 and UDP headers and checksums", () => {
    for (const length of [0, 1, 2, 3, 63, 64, 1200, 1472]) {
      const payload = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      const f = addon!.frameBuild({ ...spec, payload, ipId: 99 });
      expect(f.length).toBe(42 + length);
      expect(Array.from(f.subarray(0, 6))).toEqual(Array.from(spec.dstMac));
      expect(Array.from(f.subarray(6, 12))).toEqual(Array.from(spec.srcMac));
      expect((f[12]! << 8) | f[13]!).toBe(0x0800);
      const ip = f.subarray(14, 34);
      expect(ip[0]).toBe(0x45);
      expect((ip[2]! << 8) | ip[3]!).toBe(28 + length);
      expect(onesSum(ip)).toBe(0xffff);
      const udp = f.subarray(34);
      const pseudo = onesSum(Uint8Array.of(...ip.subarray(12, 20), 0, 17, (8 + length) >> 8, (8 + length) & 0xff));
      expect(onesSum(udp, pseudo)).toBe(0xffff);
      const parsed = addon!.frameParse(f, filter);
      expect(parsed.verdict).toBe("ok");
      expect(Array.from(parsed.payload!)).toEqual(Array.from(payload));
      expect(formatIpv4(parsed.srcIp!)).toBe("10.9.0.1");
    }
  });

  it("refuses damaged or foreign frames by cause", () => {
    const good = addon!.frameBuild({ ...spec, payload: new Uint8Array(20) });
    const variant = (edit: (f: Uint8Array) => void): string => {
      const f = new Uint8Array(good); // a copy: Buffer#slice would alias
      edit(f);
      return addon!.frameParse(f, filter).verdict;
    };
    expect(variant(() => {})).toBe("ok");
    expect(addon!.frameParse(good.subarray(0, 40), filter).verdict).toBe("truncated");
    expect(variant((f) => (f[f.length - 1]! ^= 1))).toBe("badChecksum");
    expect(variant((f) => (f[37] = 1))).toBe("wrongPort");
    expect(variant((f) => (f[33] = 9))).toBe("badChecksum"); // destination changed: header checksum breaks first
    expect(variant((f) => (f[23] = 6))).toBe("malformed"); // TCP
    expect(variant((f) => (f[20] |= 0x20))).toBe("fragment");
    expect(addon!.frameParse(good, { ...filter, payloadMax: 10 }).verdict).toBe("oversize");
    expect(addon!.frameParse(good, { ...filter, localIp: parseIpv4("10.9.0.3") }).verdict).toBe("wrongAddress");
  });

  it("never accepts random bytes or prefixes of a valid frame", () => {
    const good = addon!.frameBuild({ ...spec, payload: new Uint8Array(30) });
    for (let cut = 0; cut < good.length; cut++) expect(addon!.frameParse(good.subarray(0, cut), filter).verdict).not.toBe("ok");
    let seed = 1;
    for (let n = 0; n < 2000; n++) {
      const f = Uint8Array.from({ length: (n % 120) + 1 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
      expect(addon!.frameParse(f, filter).verdict).not.toBe("ok");
    }
  });
});

describe("IPv4 and MAC text", () => {
  it("parses and formats IPv4 addresses strictly", () => {
    expect(parseIpv4("10.1.2.3")).toBe(0x0a010203);
    expect(parseIpv4("255.255.255.255")).toBe(0xffffffff);
    for (const bad of ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", "1.2.3.-4"]) expect(parseIpv4(bad)).toBe(-1);
    expect(formatIpv4(0xc0a80001)).toBe("192.168.0.1");
  });
  it("parses MAC addresses", () => {
    expect(Array.from(parseMac("02:AB:cd:00:01:ff")!)).toEqual([2, 0xab, 0xcd, 0, 1, 0xff]);
    expect(parseMac("02:ab:cd:00:01")).toBeNull();
  });
});

describe("TxStager", () => {
  it("writes the staged layout native/tx_path.h reads, 8-byte aligned, and reports when full", () => {
    const buffer = new ArrayBuffer(64);
    const s = new TxStager(buffer);
    expect(s.stage(0x0a000002, 9000, Uint8Array.of(1, 2, 3, 4, 5, 6), 7000, Uint8Array.of(9, 9, 9))).toBe(true);
    const dv = new DataView(buffer);
    expect(dv.getUint32(0, true)).toBe(0x0a000002);
    expect(dv.getUint16(4, true)).toBe(9000);
    expect(dv.getUint16(6, true)).toBe(3);
    expect(Array.from(new Uint8Array(buffer, 8, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(dv.getUint16(14, true)).toBe(7000);
    expect(s.bytes).toBe(24);
    expect(s.stage(1, 1, new Uint8Array(6), 1, new Uint8Array(24))).toBe(true);
    expect(s.stage(1, 1, new Uint8Array(6), 1, new Uint8Array(1))).toBe(false);
    expect(s.count).toBe(2);
    s.reset();
    expect(s.count).toBe(0);
  });
});
