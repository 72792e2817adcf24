// Trading-key files: created 0600 and loaded back to the same key, never overwritten by accident, counters
// reserved on disk before use (a second handle on the same file continues above the first), damage refused.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../../../../consensus/crypto/ed25519.ts";
import { toHex } from "../../../../../consensus/crypto/hash.ts";
import { TradingKeyFile } from "../../../../../node/lane/client/trading-key-file.ts";
import { makeTempDirs } from "../../../../support/temp-dirs.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

describe("TradingKeyFile", () => {
  it("generates a 0600 file that loads to the same key, and refuses to overwrite it unless asked", () => {
    const file = path.join(tmp.make(), "sub", "lane-key.json");
    const seed = new Uint8Array(32).fill(3);
    const k = TradingKeyFile.generate(file, { seed });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(k.publicKeyHex).toBe(`0x${toHex(keyPairFromSeed(seed).publicKey)}`);
    const loaded = TradingKeyFile.load(file);
    expect(toHex(loaded.secretKey)).toBe(toHex(seed));
    expect(loaded.account).toBeNull();
    expect(() => TradingKeyFile.generate(file)).toThrow(/KEYS_ERROR_EXISTS/);
    expect(TradingKeyFile.generate(file, { overwrite: true }).publicKeyHex).not.toBe(k.publicKeyHex);
  });

  it("persists the account and reservations; a second handle continues above the first", () => {
    const file = path.join(tmp.make(), "k.json");
    const a = TradingKeyFile.generate(file);
    a.setAccount(new Uint8Array(20).fill(0xab));
    expect(a.reserveClientOrderIds(64)).toBe(1);
    const b = TradingKeyFile.load(file);
    expect(`0x${toHex(b.account!)}`).toBe(`0x${"ab".repeat(20)}`);
    expect(b.reserveClientOrderIds(10)).toBe(65);
    expect(a.reserveClientOrderIds(5)).toBe(75);
    expect(a.reserveClientOrderIds(1, 1_000)).toBe(1_000);
    a.reserveNonces(123n);
    a.reserveNonces(100n);
    expect(TradingKeyFile.load(file).nonceFloor).toBe(123n);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("refuses a used-up id range, a missing file and a damaged one with LANE_CLIENT_ERROR codes", () => {
    const dir = tmp.make();
    const file = path.join(dir, "k.json");
    const k = TradingKeyFile.generate(file);
    expect(() => k.reserveClientOrderIds(2, 0xffff_ffff)).toThrow(/LANE_CLIENT_ERROR_CLIENT_IDS_EXHAUSTED/);
    expect(() => TradingKeyFile.load(path.join(dir, "missing.json"))).toThrow(/LANE_CLIENT_ERROR_KEY_FILE.*xdpchain lane keygen/);
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...json, publicKey: `0x${"11".repeat(32)}` }));
    expect(() => TradingKeyFile.load(file)).toThrow(/secretKey does not belong to publicKey/);
    fs.writeFileSync(file, JSON.stringify({ ...json, nextClientOrderId: 0 }));
    expect(() => TradingKeyFile.load(file)).toThrow(/nextClientOrderId/);
  });
});
