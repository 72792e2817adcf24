// The shipped devnet genesis produces a state with a pinned root, and that state survives a round trip
// through node/store's StateStore (write set at height 0, loadAll, rebuild) with the same root.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toHex } from "../../../consensus/crypto/hash.ts";
import { WorldState } from "../../../consensus/state/world-state.ts";
import { loadGenesisFile } from "../../../genesis/genesis-loader.ts";
import { genesisWorldState } from "../../../genesis/genesis-state-input.ts";
import { MemoryKvStore } from "../../../node/store/memory-kv-store.ts";
import { openStores } from "../../../node/store/node-database.ts";

const golden = JSON.parse(fs.readFileSync(new URL("../../vectors/genesis.json", import.meta.url), "utf8")) as Record<string, string>;
const devnet = () => loadGenesisFile(new URL("../../../genesis/devnet.json", import.meta.url).pathname);

describe("genesis state", () => {
  it("the shipped devnet genesis gives the pinned state root", () => {
    expect(toHex(genesisWorldState(devnet()).stateRoot)).toBe(golden.devnet4StateRoot);
  });

  it("persists through the StateStore and rebuilds to the same root", async () => {
    const state = genesisWorldState(devnet());
    const db = await openStores(new MemoryKvStore());
    await db.state.applyWriteSet(0, [...state.entries()].map(([key, value]) => ({ key, value })));
    const loaded: [Uint8Array, Uint8Array][] = [];
    for await (const entry of db.state.loadAll()) loaded.push(entry);
    expect(loaded.length).toBe([...state.entries()].length);
    expect(WorldState.fromEntries(loaded).stateRoot).toEqual(state.stateRoot);
    await db.close();
  });
});
