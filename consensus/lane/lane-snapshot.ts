// Saving and loading the whole lane state (engine snapshot plus the trading-key registry) as bytes, for the
// node's snapshot store. Layout: u32 registry length | registry (lane-state.ts) | engine snapshot (derivatives/
// state-snapshot.ts). Loading checks the engine against the chain's genesis markets.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import type { EngineGenesis } from "../derivatives/engine-state.ts";
import { loadEngineSnapshot, saveEngineSnapshot } from "../derivatives/state-snapshot.ts";
import { decodeLaneRegistry, encodeLaneRegistry, type LaneState } from "./lane-state.ts";

const REGISTRY_BYTES_MAX = 512 * 1024 * 1024;

export function saveLaneSnapshot(s: LaneState): Uint8Array {
  const registry = encodeLaneRegistry(s);
  const engine = saveEngineSnapshot(s.engine);
  return new ByteWriter(8 + registry.length + engine.length).bytes(registry).fixed(engine, engine.length).finish();
}

export function loadLaneSnapshot(bytes: Uint8Array, genesis: EngineGenesis): DecodeResult<LaneState> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const registry = decodeLaneRegistry(r.bytes(REGISTRY_BYTES_MAX, "lane registry"));
    if (!registry.ok) throw new CodecError(registry.code, registry.offset, `lane registry: ${registry.detail}`);
    const at = r.position;
    const engine = loadEngineSnapshot(r.fixed(r.remaining, "engine snapshot"), genesis);
    if (!engine.ok) throw new CodecError(engine.code, at + engine.offset, `engine: ${engine.detail}`);
    return { ...registry.value, engine: engine.value };
  });
}
