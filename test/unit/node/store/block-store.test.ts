// BlockStore and StateStore over a real LevelDB in a temp dir (and the in-memory KvStore the simulator uses):
// round trips, the finalized chain's checks, survival across close/reopen, schema refusal.
import { afterEach, describe, expect, it } from "vitest";
import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { VoteKind, type Block, type Certificate, type Hash } from "../../../../consensus/types.ts";
import type { KvStore } from "../../../../node/store/kv-store.ts";
import { LevelKvStore } from "../../../../node/store/level-kv-store.ts";
import { MemoryKvStore } from "../../../../node/store/memory-kv-store.ts";
import { openNodeDatabase, openStores } from "../../../../node/store/node-database.ts";
import { StoreError } from "../../../../node/store/store-errors.ts";
import { filledHash, sampleHeader } from "../../../support/fixtures.ts";
import { makeTempDirs } from "./temp-dir.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

function blockAt(height: number, parentHash: Hash): Block {
  return {
    header: sampleHeader({ height, view: height * 2, parentHash }),
    transactions: [new Uint8Array([height & 0xff, 1, 2])],
    evidence: [],
    parentNotarization: null,
  };
}

function finalizationOf(block: Block): Certificate {
  return {
    kind: VoteKind.Finalize,
    view: block.header.view,
    blockHash: blockHash(block.header),
    signers: [{ validator: 0, signature: new Uint8Array(64).fill(3) }],
  };
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(StoreError);
  await expect(p).rejects.toMatchObject({ code });
}

describe.each([
  ["LevelKvStore", async () => LevelKvStore.open(tmp.make()) as Promise<KvStore>],
  ["MemoryKvStore", async () => new MemoryKvStore() as KvStore],
])("BlockStore and StateStore over %s", (_name, makeKv) => {
  it("saves and loads blocks, and finalizes a chain with certificates and pointer", async () => {
    const db = await openStores(await makeKv());
    const b1 = blockAt(1, filledHash(0x99));
    const b2 = blockAt(2, blockHash(b1.header));
    const side = blockAt(2, filledHash(0x77));
    expect(await db.blocks.saveBlock(side)).toEqual(blockHash(side.header));
    expect(await db.blocks.loadBlock(blockHash(side.header))).toEqual(side);
    expect(await db.blocks.loadLatestFinalized()).toBeUndefined();
    await db.blocks.saveFinalized(b1, finalizationOf(b1));
    const p2 = await db.blocks.saveFinalized(b2, finalizationOf(b2));
    expect(p2).toEqual({ height: 2, view: 4, hash: blockHash(b2.header) });
    expect(await db.blocks.loadLatestFinalized()).toEqual(p2);
    expect(await db.blocks.loadBlockAtHeight(1)).toEqual(b1);
    expect(await db.blocks.loadHashAtHeight(2)).toEqual(blockHash(b2.header));
    expect(await db.blocks.loadFinalization(2)).toEqual(finalizationOf(b2));
    expect(await db.blocks.loadBlockAtHeight(3)).toBeUndefined();
    await db.close();
  });

  it("refuses a gap, a fork off the finalized tip and a certificate for another block", async () => {
    const db = await openStores(await makeKv());
    const b1 = blockAt(1, filledHash(0x99));
    await db.blocks.saveFinalized(b1, finalizationOf(b1));
    const b3 = blockAt(3, blockHash(b1.header));
    await rejects(db.blocks.saveFinalized(b3, finalizationOf(b3)), "STORE_ERROR_HEIGHT_NOT_NEXT");
    const fork = blockAt(2, filledHash(0x55));
    await rejects(db.blocks.saveFinalized(fork, finalizationOf(fork)), "STORE_ERROR_PARENT_MISMATCH");
    const b2 = blockAt(2, blockHash(b1.header));
    await rejects(db.blocks.saveFinalized(b2, finalizationOf(b1)), "STORE_ERROR_CERTIFICATE_MISMATCH");
    await rejects(db.blocks.saveFinalized(b2, { ...finalizationOf(b2), kind: VoteKind.Notarize }), "STORE_ERROR_CERTIFICATE_MISMATCH");
    const [a, b] = await Promise.allSettled([
      db.blocks.saveFinalized(b2, finalizationOf(b2)),
      db.blocks.saveFinalized(b2, finalizationOf(b2)),
    ]);
    expect(a.status).toBe("fulfilled");
    expect(b.status).toBe("rejected");
    await db.close();
  });

  it("applies write sets atomically with their height, deletes with null, and iterates in key order", async () => {
    const db = await openStores(await makeKv());
    const k = (s: string) => new TextEncoder().encode(s);
    expect(await db.state.loadHeight()).toBeUndefined();
    await db.state.applyWriteSet(0, [
      { key: k("b"), value: k("2") },
      { key: k("a"), value: k("1") },
      { key: k("c"), value: k("3") },
    ]);
    await db.state.applyWriteSet(1, [
      { key: k("b"), value: null },
      { key: k("a"), value: k("11") },
    ]);
    await rejects(db.state.applyWriteSet(3, []), "STORE_ERROR_HEIGHT_NOT_NEXT");
    await rejects(db.state.applyWriteSet(2, [{ key: new Uint8Array(257), value: k("x") }]), "STORE_ERROR_LIMIT");
    expect(await db.state.loadHeight()).toBe(1);
    const all: [string, string][] = [];
    const dec = new TextDecoder();
    for await (const [key, value] of db.state.loadAll()) all.push([dec.decode(key), dec.decode(value)]);
    expect(all).toEqual([
      ["a", "11"],
      ["c", "3"],
    ]);
    expect(await db.state.load(k("c"))).toEqual(k("3"));
    await db.close();
  });
});

describe("node database on disk", () => {
  it("keeps the finalized chain and state across close and reopen", async () => {
    const dir = tmp.make();
    const db = await openNodeDatabase(dir);
    const b1 = blockAt(1, filledHash(0x99));
    await db.blocks.saveFinalized(b1, finalizationOf(b1));
    await db.state.applyWriteSet(1, [{ key: new Uint8Array([1]), value: new Uint8Array([2]) }]);
    await db.close();
    const again = await openNodeDatabase(dir);
    expect((await again.blocks.loadLatestFinalized())?.height).toBe(1);
    expect(await again.blocks.loadBlockAtHeight(1)).toEqual(b1);
    expect(await again.state.loadHeight()).toBe(1);
    await again.close();
  });

  it("refuses a database written with another schema version", async () => {
    const dir = tmp.make();
    const kv = await LevelKvStore.open(dir);
    await kv.write([{ type: "put", key: new Uint8Array([0]), value: new Uint8Array([0, 0, 0, 99]) }], { sync: true });
    await kv.close();
    await rejects(openNodeDatabase(dir), "STORE_ERROR_SCHEMA_MISMATCH");
    const mem = new MemoryKvStore();
    await mem.write([{ type: "put", key: new Uint8Array([1, 2]), value: ZERO_HASH }], { sync: false });
    await rejects(openStores(mem), "STORE_ERROR_SCHEMA_MISMATCH");
  });
});
