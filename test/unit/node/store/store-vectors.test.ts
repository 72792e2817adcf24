// Golden bytes for every node/store disk format: a change must be deliberate (regenerate the vectors and
// bump the format version). Also checks that decoders re-encode the pinned bytes and that a fresh WAL file
// starts with the pinned segment header.
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { decodeWalRecord, encodeWalRecord } from "../../../../node/store/wal-record.ts";
import { decodeSignGuardRecord, encodeSignGuardRecord } from "../../../../node/store/sign-guard-record.ts";
import { WriteAheadLog } from "../../../../node/store/write-ahead-log.ts";
import { storeVectorCases } from "../../../vectors/store-vector-cases.ts";
import { makeTempDirs, segmentFiles } from "./temp-dir.ts";

const golden = JSON.parse(fs.readFileSync(new URL("../../../vectors/store-formats.json", import.meta.url), "utf8")) as Record<string, string>;
const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

describe("store golden vectors", () => {
  const cases = storeVectorCases();
  it("covers exactly the vectors on disk", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(golden).sort());
  });
  for (const [name, bytes] of Object.entries(cases)) {
    it(`${name} encodes to the pinned bytes`, () => {
      expect(toHex(bytes)).toBe(golden[name]);
    });
  }

  it("WAL and guard decoders re-encode the pinned bytes identically", () => {
    for (const name of ["walViewEntered", "walOwnVote", "walProposalSeen", "walCertificateSeen", "walTimeoutFired"]) {
      const d = decodeWalRecord(fromHex(golden[name]!));
      if (!d.ok) throw new Error(`${name}: ${d.detail}`);
      expect(toHex(encodeWalRecord(d.value)), name).toBe(golden[name]);
    }
    for (const name of ["guardAuthorizedFinalize", "guardLowWater"]) {
      const d = decodeSignGuardRecord(fromHex(golden[name]!));
      if (!d.ok) throw new Error(`${name}: ${d.detail}`);
      expect(toHex(encodeSignGuardRecord(d.value)), name).toBe(golden[name]);
    }
  });

  it("a fresh WAL segment holds the pinned header and then the pinned frame", () => {
    const dir = tmp.make();
    const { wal } = WriteAheadLog.open(dir);
    wal.append({ type: "viewEntered", view: 12 }, { sync: true });
    wal.close();
    const bytes = fs.readFileSync(segmentFiles(dir)[0]!);
    expect(toHex(bytes)).toBe(golden.walSegmentHeader! + golden.frameViewEntered!);
  });

  it("rejects unknown tags and trailing bytes", () => {
    expect(decodeWalRecord(fromHex("06000000000000000c")).ok).toBe(false);
    expect(decodeWalRecord(fromHex(golden.walViewEntered! + "00")).ok).toBe(false);
    expect(decodeSignGuardRecord(fromHex("03")).ok).toBe(false);
  });
});
